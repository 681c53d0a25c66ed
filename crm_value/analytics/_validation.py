"""Input checks shared by the analytics models.

Every public function turns its inputs into 1-D float arrays here, so a bad
figure fails early with a `ValueError` that names the argument and the reason,
instead of a NaN surfacing later inside an optimiser.
"""

import numpy as np


def as_vector(name, values):
    """`values` as a finite 1-D float array; a scalar becomes one element."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers: {exc}") from exc
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def same_length(**arrays):
    """Raise unless all the named arrays have the same length."""
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{name}={n}" for name, n in lengths.items())
        raise ValueError(f"inputs must have the same length, got {detail}")


def non_negative(name, array):
    if np.any(array < 0):
        raise ValueError(f"{name} must not be negative")
    return array


def counts(name, values):
    """Whole numbers >= 0, such as a number of repeat purchases."""
    array = non_negative(name, as_vector(name, values))
    if np.any(array != np.floor(array)):
        raise ValueError(f"{name} must be whole numbers (a count of purchases)")
    return array


def weights_for(weights, size):
    """Customer weights (1 each when None); they must be >= 0, not all zero."""
    if weights is None:
        return np.ones(size)
    array = non_negative("weights", as_vector("weights", weights))
    same_length(weights=array, customers=np.empty(size))
    if size and not array.sum() > 0:
        raise ValueError("weights must not all be zero")
    return array


def purchase_history(frequency, recency, T):
    """Checked (frequency, recency, T) in the lifetimes convention.

    frequency: repeat purchases (a count); recency: age at the last purchase;
    T: age at the end of observation. Ages count from the first purchase, so
    0 <= recency <= T, and recency is 0 for a customer without repeat purchases.
    """
    x = counts("frequency", frequency)
    t_x = non_negative("recency", as_vector("recency", recency))
    age = non_negative("T", as_vector("T", T))
    same_length(frequency=x, recency=t_x, T=age)
    if np.any(t_x > age):
        raise ValueError("recency must not exceed T (the last purchase is in the past)")
    if np.any((x == 0) & (t_x != 0)):
        raise ValueError(
            "recency must be 0 when frequency is 0 (no repeat purchase yet)"
        )
    return x, t_x, age


def positive_number(name, value):
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return value
