"""core.hooks.Hook: the registry every app's hooks are made of."""

from amends.core.hooks import Hook


def first(x):
    return {"first": x, "shared": 1}


def second(x):
    return {"second": x * 2, "shared": 2}


def test_functions_run_in_registration_order_and_once_each():
    hook = Hook("test.ordered")
    hook.register(second)
    hook.register(first)
    hook.register(second)  # registering again keeps one
    assert list(hook) == [second, first] and len(hook) == 2


def test_merged_adds_up_the_answers_later_ones_winning():
    hook = Hook("test.merged")
    hook.register(first)
    hook.register(second)
    assert hook.merged(3) == {"first": 3, "second": 6, "shared": 2}
    assert Hook("test.empty").merged(3) == {}


def test_unregister_takes_a_function_out():
    hook = Hook("test.unregister")
    hook.register(first)
    hook.unregister(first)
    assert list(hook) == [] and repr(hook) == "Hook('test.unregister', 0 registered)"
