"""Hooks the process app owns (`amends.core.hooks.Hook`): how an app above it adds work to the worker."""

from __future__ import annotations

from amends.core.hooks import Hook

# Each registered function returns {step name: step}, a step being `step(now) -> int` (how many rows it
# did), like process's own (tasks.py). The sweep runs them after process's steps and before the outbox,
# so mail they queue (the acknowledgement of a case a team mailbox opened) leaves in the same sweep.
# Registered by intake (its team mailboxes).
worker_steps: Hook = Hook("worker_steps")
