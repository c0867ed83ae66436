"""A minimal workflow model used only by tests of ``tansiq.core.workflow``."""

import rules
from django.db import models


class Petition(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    title = models.CharField(max_length=100)
    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)

    TRANSITIONS = {
        (State.DRAFT, State.SUBMITTED): "workflow_app.submit_petition",
        (State.SUBMITTED, State.ACCEPTED): "workflow_app.decide_petition",
        (State.SUBMITTED, State.REJECTED): "workflow_app.decide_petition",
    }

    class Meta:
        app_label = "workflow_app"

    def __str__(self):
        return self.title


@rules.predicate
def is_owner(user, petition):
    return petition is not None and petition.owner_id == user.pk


rules.add_perm("workflow_app.submit_petition", is_owner)
rules.add_perm("workflow_app.decide_petition", rules.is_group_member("secretariat"))
