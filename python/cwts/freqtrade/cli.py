"""`cwts-freqtrade`: FreqTrade's own command line with the "cwts" exchange registered first.

    cwts-freqtrade trade -c config.json -s Strategy
    cwts-freqtrade backtesting -c config.json -s Strategy --timerange ...
    cwts-freqtrade export-candles --database cwts-candles.sqlite --datadir user_data/data/cwts

Every FreqTrade subcommand works as with `freqtrade`; `export-candles` is ours: it writes the
candles the engine recorded in SQLite as FreqTrade data files, for offline backtesting.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from cwts.freqtrade.register import register

__all__ = ["main", "export_candles"]


def export_candles(database: Path, datadir: Path, data_format: str = "json", segment: str | None = None) -> dict[str, int]:
    """Writes every (symbol, timeframe) of the engine's candle database as FreqTrade data files.

    With `segment`, also writes `markets.json` (tick and lot per symbol) from the running engine.
    Returns the number of candles written per file name.
    """
    import pandas as pd
    from freqtrade.data.history.datahandlers import get_datahandler
    from freqtrade.enums import CandleType

    if not database.is_file():
        raise SystemExit(f"cwts-freqtrade export-candles: no candle database {database}: pass the engine's candles.database")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        try:
            keys = db.execute("SELECT DISTINCT symbol, timeframe FROM candles ORDER BY symbol, timeframe").fetchall()
        except sqlite3.DatabaseError as error:
            raise SystemExit(f"cwts-freqtrade export-candles: {database} is not an engine candle database ({error})") from None
        frames = {
            (symbol, timeframe): pd.read_sql_query(
                "SELECT open_time_ms AS date, open, high, low, close, volume FROM candles "
                "WHERE symbol = ? AND timeframe = ? ORDER BY open_time_ms",
                db,
                params=(symbol, timeframe),
            )
            for symbol, timeframe in keys
        }
    if not frames:
        raise SystemExit(f"cwts-freqtrade export-candles: {database} holds no candles")
    datadir.mkdir(parents=True, exist_ok=True)
    handler = get_datahandler(datadir, data_format)
    written: dict[str, int] = {}
    for (symbol, timeframe), frame in frames.items():
        frame["date"] = pd.to_datetime(frame["date"], unit="ms", utc=True)
        handler.ohlcv_store(symbol, timeframe, frame, CandleType.SPOT)
        written[f"{symbol.replace('/', '_')}-{timeframe}"] = len(frame)
    if segment is not None:
        write_markets_file(segment, datadir / "markets.json")
    return written


def write_markets_file(segment: str, path: Path) -> None:
    """Tick and lot of every symbol of the running engine, for offline market loading."""
    import cwts

    with cwts.Bridge.attach(segment) as bridge:
        specs = {}
        for symbol in bridge.symbols():
            raw = bridge.snapshot_raw(bridge.symbol_index(symbol))
            specs[symbol] = {"tick_size": raw["tick_size"], "lot_size": raw["lot_size"]}
    path.write_text(json.dumps(specs, indent=1) + "\n")


def _export_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cwts-freqtrade export-candles", description=export_candles.__doc__)
    parser.add_argument("--database", type=Path, required=True, help="the engine's candles.database")
    parser.add_argument("--datadir", type=Path, required=True, help="FreqTrade's data directory for the exchange")
    parser.add_argument("--data-format", default="json", choices=["json", "jsongz", "feather", "parquet"])
    parser.add_argument("--segment", help="also write markets.json from the engine running on this segment")
    args = parser.parse_args(argv)
    written = export_candles(args.database, args.datadir, args.data_format, args.segment)
    for name, count in written.items():
        print(f"{name}: {count} candles")
    return 0


def main(argv: list[str] | None = None) -> None:
    """The console entry point: registers the exchange, then hands over to FreqTrade."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["export-candles"]:
        raise SystemExit(_export_main(args[1:]))
    register()
    from freqtrade.main import main as freqtrade_main

    freqtrade_main(args)


if __name__ == "__main__":
    main()
