from django.contrib import admin

from tandem.catalog.models import Product, ProductAlias


class ProductAliasInline(admin.TabularInline):
    model = ProductAlias
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "series", "list_price", "is_active"]
    search_fields = ["code", "name"]
    inlines = [ProductAliasInline]
