"""REST endpoints of the KPI layer, under /api/kpis: the quotas (tandem/quotas/api.py). The
sales report is in tandem/sales/api.py (/api/kpis/sales), the KAM report in tandem/kam/api.py
(/api/kpis/kam): each cockpit's figures come from the cockpit's builder."""

from ninja import Router

from tandem.quotas.api import quota_router

kpi_router = Router()
kpi_router.add_router("/quotas", quota_router)
