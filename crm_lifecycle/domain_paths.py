"""Walking the conditions of a domain through their field paths: shared by
the rules' checks and the lifecycle facts that rules search."""


def is_condition(leaf):
    """Whether `leaf` of a domain is a (field path, operator, value)
    condition, rather than an operator or a constant leaf."""
    return (
        isinstance(leaf, (list, tuple)) and len(leaf) == 3 and isinstance(leaf[0], str)
    )


def path_fields(model, path):
    """[(model, field)] of each name of the dotted `path` on `model`, as far
    as it goes: up to a name that is no field, or the first field that is not
    relational (a search on it ends the path)."""
    found = []
    current = model
    for name in path.split("."):
        field = current._fields.get(name)
        if field is None:
            break
        found.append((current, field))
        if not field.relational:
            break
        current = model.env[field.comodel_name]
    return found


def path_end(model, path):
    """(model, field) the whole dotted `path` on `model` ends on, or None
    when it does not resolve to the end."""
    steps = path_fields(model, path)
    return steps[-1] if len(steps) == path.count(".") + 1 else None


def subdomain_model(model, condition):
    """The model the subdomain of an `any` / `not any` condition on `model`
    searches, or None for any other condition."""
    path, operator, value = condition
    end = path_end(model, path)
    if (
        end is None
        or not end[1].relational
        or operator not in ("any", "not any")
        or not isinstance(value, (list, tuple))
    ):
        return None
    return model.env[end[1].comodel_name]
