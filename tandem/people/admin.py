"""The reference data is edited in the admin: competencies, models, ladders, questionnaires."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.errors import DomainError
from tandem.people.models import (
    AnswerOption,
    CareerLadder,
    CareerStep,
    Competency,
    ExpectedLevel,
    Question,
    Questionnaire,
    RoleProfile,
)
from tandem.people.services import new_questionnaire_version, publish_questionnaire


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_de", "position"]


class ExpectedLevelInline(admin.TabularInline):
    model = ExpectedLevel
    extra = 0


@admin.register(RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_de"]
    inlines = [ExpectedLevelInline]


class CareerStepInline(admin.TabularInline):
    model = CareerStep
    extra = 0


@admin.register(CareerLadder)
class CareerLadderAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_de"]
    inlines = [CareerStepInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Published versions are read-only: results refer to them."""

    list_display = ["version", "published_at", "clearly_from", "rather_from"]
    inlines = [QuestionInline]
    actions = ["make_new_version", "publish"]

    @admin.action(description=gettext_lazy("Make a new draft version from the selected one"))
    def make_new_version(self, request, queryset):
        for questionnaire in queryset:
            draft = new_questionnaire_version(questionnaire, acting_user=request.user)
            self.message_user(
                request, _("Draft version {version} made.").format(version=draft.version)
            )

    @admin.action(description=gettext_lazy("Publish the selected drafts"))
    def publish(self, request, queryset):
        for questionnaire in queryset:
            try:
                publish_questionnaire(questionnaire, acting_user=request.user)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_change_permission(request, obj)


class AnswerOptionInline(admin.TabularInline):
    model = AnswerOption
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "position", "code", "text"]
    inlines = [AnswerOptionInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.questionnaire.published_at is not None:
            return False
        return super().has_change_permission(request, obj)
