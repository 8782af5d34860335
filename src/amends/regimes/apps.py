from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegimesConfig(AppConfig):
    name = "amends.regimes"
    label = "regimes"
    verbose_name = "Complaint-handling regimes"

    def ready(self) -> None:
        post_migrate.connect(load_builtin_regimes, sender=self, dispatch_uid="regimes.load_builtin")


def load_builtin_regimes(sender, *, using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """After `amends migrate`: add any built-in regime version the database does not have yet."""
    from django.db import connections

    from .models import RegimeVersion
    from .services import regime_sync_builtin

    # Migrating the app backwards to zero also sends post_migrate; there is then nowhere to load into.
    if RegimeVersion._meta.db_table not in connections[using].introspection.table_names():
        return
    added = regime_sync_builtin(using=using)
    if added and verbosity >= 1:
        print(f"  Loaded {len(added)} built-in regime version(s): {', '.join(added)}")
