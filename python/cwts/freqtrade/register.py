"""Makes "cwts" an exchange that ccxt and FreqTrade know, before FreqTrade starts.

FreqTrade accepts only exchanges in `ccxt.exchanges` (check_exchange), builds them with
`getattr(ccxt_module, name)` (Exchange._init_ccxt) and resolves its own class by name in
`freqtrade.exchange` (ExchangeResolver). Registering changes those three places, once.
"""

from __future__ import annotations

import ccxt
import ccxt.async_support

from cwts.freqtrade.ccxt_exchange import EXCHANGE_ID, CwtsCcxt, CwtsCcxtAsync

__all__ = ["register"]


def register() -> None:
    """Registers the ccxt classes and FreqTrade's Cwts exchange; calling it again changes nothing."""
    import freqtrade.exchange
    from freqtrade.exchange.common import SUPPORTED_EXCHANGES

    from cwts.freqtrade.exchange import Cwts

    for module, cls in ((ccxt, CwtsCcxt), (ccxt.async_support, CwtsCcxtAsync)):
        setattr(module, EXCHANGE_ID, cls)
        if EXCHANGE_ID not in module.exchanges:
            module.exchanges.append(EXCHANGE_ID)
    freqtrade.exchange.Cwts = Cwts
    if EXCHANGE_ID not in SUPPORTED_EXCHANGES:
        SUPPORTED_EXCHANGES.append(EXCHANGE_ID)
