from django import forms

from tandem.approvals.models import ApprovalRules


class ApprovalRulesForm(forms.ModelForm):
    class Meta:
        model = ApprovalRules
        fields = ["own_quotas", "own_deal_wins", "win_threshold"]
        # an amount in the reader's format (50000,00 in German), read back the same way
        localized_fields = ["win_threshold"]

    def _post_clean(self):
        # The service validates the row; the form only checks the input.
        pass
