"""Repeated problems (WM57 2-4; FCA DISP 1.3.3R): contacts grouped by what they are about, problem records.

- `GroupingState`: the fitted grouping (representation and group centroids) the incremental grouping
  continues from, rebuilt by the batch (`problems_regroup`). One row is current.
- `ContactGroup` and `GroupMember`: the groups the grouping found and the messages in each.
- `Problem` and `ProblemCase`: a problem record with its owner, status, product, root cause and linked cases;
  customers affected are derived from those cases. Opened by the grouping (a group crossing the threshold)
  or by staff (with or without customers).
- `ProductOwner`: who owns a product or service, told when a problem about it opens.
- `EarlyWarning`: queries and problem contacts (not complaints) rising on one theme.
"""

from django.conf import settings
from django.db import models


class GroupingState(models.Model):
    fitted_at = models.DateTimeField()
    fitted_messages = models.PositiveIntegerField(default=0)  # the batch it was fitted on
    fitted_groups = models.PositiveIntegerField(default=0)  # the groups that batch made
    messages = models.PositiveIntegerField(default=0)  # those and every message assigned since
    # The pickled `problems.grouping.Grouper`: written and read only by problems.services (our own data).
    state = models.BinaryField()
    centroids = models.BinaryField()  # the groups' sums and counts (numpy .npz), moved by each new message
    current = models.BooleanField(default=True, db_index=True)


class ContactGroup(models.Model):
    state = models.ForeignKey(GroupingState, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField()  # the grouper's group number
    label = models.CharField(max_length=200, blank=True)  # a few telling words of its messages
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["state", "number"], name="group_number_once")]


class GroupMember(models.Model):
    group = models.ForeignKey(ContactGroup, on_delete=models.CASCADE, related_name="members")
    message = models.ForeignKey("messaging.Message", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    complaint = models.BooleanField()  # the case is a complaint (else a query or problem contact)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["group", "at"], name="group_member_at")]
        constraints = [models.UniqueConstraint(fields=["group", "message"], name="group_member_once")]


class ProblemStatus(models.TextChoices):
    OPEN = "open", "Open"
    INVESTIGATING = "investigating", "Investigating"
    FIXED = "fixed", "Fixed"
    CLOSED = "closed", "Closed"


class OpenedBy(models.TextChoices):
    GROUPING = "grouping", "Found by the grouping"
    STAFF = "staff", "Opened by staff"


class Problem(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    product = models.CharField(max_length=100, blank=True)
    root_cause = models.ForeignKey(
        "process.RootCause", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.CharField(max_length=10, choices=OpenedBy.choices)
    group = models.ForeignKey(
        ContactGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    cases = models.ManyToManyField("cases.Case", through="ProblemCase", related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="problem_status_created")]

    def __str__(self) -> str:
        return self.title


class ProblemCase(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="problem_links")
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(  # None: the grouping linked it
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["problem", "case"], name="problem_case_once")]


class ProductOwner(models.Model):
    product = models.CharField(max_length=100, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["product"]


class EarlyWarning(models.Model):
    group = models.ForeignKey(ContactGroup, on_delete=models.CASCADE, related_name="warnings")
    raised_at = models.DateTimeField()
    contacts = models.PositiveIntegerField()  # queries and problem contacts in the window
    customers = models.PositiveIntegerField()
    label = models.CharField(max_length=200, blank=True)
