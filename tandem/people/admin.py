"""The reference data is edited in the admin: competencies, models, ladders, questionnaires."""

from django.contrib import admin

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
