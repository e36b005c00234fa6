from django.db.models import QuerySet

from tandem.catalog.models import Product
from tandem.users.models import User


def visible_products(user: User) -> QuerySet[Product]:
    """The product catalogue is open to every signed-in user."""
    return Product.objects.all()
