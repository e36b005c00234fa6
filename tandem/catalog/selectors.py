from django.db.models import QuerySet

from tandem.catalog.models import Product
from tandem.users.models import Role, User


def visible_products(user: User) -> QuerySet[Product]:
    """The product catalogue is open to every signed-in user."""
    return Product.objects.all()


def may_change_catalogue(user: User) -> bool:
    """The product catalogue is reference data: sales operations / admins keep it."""
    return user.is_superuser or user.role == Role.ADMIN
