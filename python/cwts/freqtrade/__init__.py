"""FreqTrade on the cwts engine: a ccxt-compatible exchange "cwts", FreqTrade's `Cwts` exchange
class, the `cwts-freqtrade` command that registers both before FreqTrade's own main, and a
strategy mixin that hands the engine's bridge to callbacks (docs/freqtrade.md).

The ccxt side needs only ccxt; importing FreqTrade happens in `register()` and the mixin.
"""

from __future__ import annotations

try:
    import ccxt  # noqa: F401
except ImportError as _missing:  # the `freqtrade` extra brings ccxt with FreqTrade
    raise ImportError(
        f"cwts.freqtrade needs FreqTrade and ccxt ({_missing}): install the extra, pip install './python[freqtrade]'"
    ) from _missing

from cwts.freqtrade.ccxt_exchange import EXCHANGE_ID, CwtsCcxt, CwtsCcxtAsync
from cwts.freqtrade.register import register
from cwts.freqtrade.venue import EngineVenue, VenueOptions

__all__ = ["EXCHANGE_ID", "CwtsCcxt", "CwtsCcxtAsync", "EngineVenue", "VenueOptions", "register"]
