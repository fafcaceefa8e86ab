"""The notification settings form: one choice of channel per kind of notification. The choices
are the model's; `services.set_preference` is the rule."""

from django import forms

from committee.models import Channel, NotificationKind


class NotificationSettingsForm(forms.Form):
    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=NotificationKind(kind).label,
                choices=Channel.choices,
                widget=forms.RadioSelect,
            )
