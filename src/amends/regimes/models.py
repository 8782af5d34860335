from __future__ import annotations

from django.db import models

from .definition import RegimeDefinition, parse


class Regime(models.Model):
    """A complaint-handling regime (FCA DISP, Housing Ombudsman Code...). Its rules live in its versions."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=200)
    # Shipped with Amends (definitions/*.json) rather than added by the organisation.
    is_builtin = models.BooleanField(default=False)
    # The organisation works under it: only regimes in use are offered on a case or chosen on arrival.
    in_use = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class RegimeVersion(models.Model):
    """One version of a regime's rules, as the JSON definition (docs/design/complaint-process.md).

    Never changed once written: a case records the version it follows, so changing a regime means adding
    a version with a later number (and usually a later effective_from).
    """

    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    definition = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regime", "version"], name="regimeversion_unique")]
        indexes = [models.Index(fields=["regime", "effective_from"], name="regimeversion_effective")]

    def __str__(self) -> str:
        return f"{self.regime.code} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Regime versions are never changed; add a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Regime versions are never deleted; a case may follow them")

    def parsed(self) -> RegimeDefinition:
        """The stored definition as typed data (checked again: the JSON may predate a stricter loader)."""
        return parse(self.definition, source=f"{self.definition.get('code', '?')} v{self.version} (stored)")


class RegimeRule(models.Model):
    """One of the organisation's rules for choosing a new complaint's regime, tried in `position` order
    (regimes/choosing.py). Written only by `regime_settings_save`, which replaces the whole list."""

    class Match(models.TextChoices):
        CATEGORY = "category", "Category is"
        PRODUCT = "product", "Product is"
        CHANNEL = "channel", "Channel is"
        DEFAULT = "default", "Any other complaint"

    position = models.PositiveIntegerField(unique=True)
    match = models.CharField(max_length=20, choices=Match.choices)
    value = models.CharField(max_length=100, blank=True)
    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="rules")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}: {self.match} {self.value!r} -> {self.regime_id}"
