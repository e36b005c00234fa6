"""The salary bands Tandem ships with: yearly base pay in EUR for a German B2B company.

Reference points are a medium-sized company (50 to 249 employees) in any industry; other
sizes scale them, and the software industry pays a premium. Admins edit the bands afterwards
(the bands page, the API); the migration seeds these once.
"""

from decimal import ROUND_HALF_UP, Decimal

# (role, level): (minimum, midpoint, maximum) for a medium-sized company, any industry.
MEDIUM_ANY = {
    ("rep", "junior"): (42000, 48000, 55000),
    ("rep", "professional"): (52000, 60000, 70000),
    ("rep", "senior"): (65000, 75000, 88000),
    ("sales_manager", "junior"): (70000, 80000, 92000),
    ("sales_manager", "professional"): (85000, 98000, 112000),
    ("sales_manager", "senior"): (100000, 118000, 135000),
    ("kam", "junior"): (58000, 66000, 76000),
    ("kam", "professional"): (72000, 84000, 96000),
    ("kam", "senior"): (88000, 102000, 118000),
    ("head_of_sales", "junior"): (105000, 120000, 138000),
    ("head_of_sales", "professional"): (120000, 140000, 165000),
    ("head_of_sales", "senior"): (140000, 165000, 195000),
}
SIZE_FACTORS = {
    "small": Decimal("0.90"),
    "medium": Decimal("1.00"),
    "large": Decimal("1.08"),
    "enterprise": Decimal("1.18"),
}
INDUSTRY_FACTORS = {"any": Decimal("1.00"), "software": Decimal("1.07")}


def _round(value: Decimal) -> Decimal:
    """To the nearest 500."""
    return (value / 500).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 500


def default_bands() -> list[dict]:
    rows = []
    for (role, level), amounts in MEDIUM_ANY.items():
        for size, size_factor in SIZE_FACTORS.items():
            for industry, industry_factor in INDUSTRY_FACTORS.items():
                low, mid, high = (
                    _round(Decimal(amount) * size_factor * industry_factor) for amount in amounts
                )
                rows.append(
                    {
                        "role": role,
                        "level": level,
                        "company_size": size,
                        "industry": industry,
                        "minimum": low,
                        "midpoint": mid,
                        "maximum": high,
                    }
                )
    return rows
