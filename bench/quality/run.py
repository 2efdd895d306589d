"""Extraction quality benchmark: precision, recall and F1 per fact kind. Prints figures; asserts nothing.

    .venv/bin/python -m bench.quality.run [--json] [--errors] [--eval-dir DIR]

Datasets:
- the two seed articles against the hand-made gold of ``gold/seeds.yaml`` (meetings, agreements,
  relations, people; status and date of matched facts), and the agreement between the Korean and
  the English half of seed 000;
- PLOVER gold-standard records and PETRARCH2 unit-test records (English): actors and event kinds;
- KLUE-NER dev sentences on diplomatic topics (Korean): people and organizations.

The shared evaluation data are read where they lie (``../shared/eval`` beside the repository); a
dataset that is not there is reported as missing and left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: python bench/quality/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.quality import external, seeds  # noqa: E402
from bench.quality.score import KINDS  # noqa: E402

GOALS = {"meetings": 0.90, "agreements": 0.80, "relations": 0.80, "people": 0.95}


# -- measuring ----------------------------------------------------------------
def measure(eval_dir: Path = external.EVAL) -> tuple[dict[str, Any], dict[str, Any]]:
    """All figures, and the details behind them (errors), as plain data."""
    figures: dict[str, Any] = {}
    details: dict[str, Any] = {}
    results = seeds.evaluate()
    figures["seeds"] = seeds.seed_figures(results)
    details["seeds"] = results
    figures["ko_en_agreement"] = seeds.bilingual_agreement(results)
    loaders = {
        "plover": (eval_dir / "plover_gsr" / "PLOVER_GSR_CAMEO.txt", lambda: external.plover_records(eval_dir)),
        "petrarch2": (eval_dir / "petrarch2" / "PETR.UnitTest.records.xml",
                      lambda: external.petrarch_records(eval_dir)),
    }
    for name, (path, load) in loaders.items():
        if not path.is_file():
            figures[name] = {"missing": str(path)}
            continue
        records = load()
        parts = {name: records}
        if name == "plover":  # rules are written looking at the even records only; the odd ones judge them
            parts = {"plover": records[0::2], "plover_heldout": records[1::2]}
        for part, chosen in parts.items():
            scored = external.score_events(chosen)
            details[part] = scored.pop("errors")
            figures[part] = scored
    klue = eval_dir / "klue_ner" / "diplomacy_sentence_ids.txt"
    if klue.is_file():
        scored = external.score_klue(eval_dir)
        details["klue_ner"] = scored.pop("errors")
        figures["klue_ner"] = scored
    else:
        figures["klue_ner"] = {"missing": str(klue)}
    figures["summary"] = {
        kind: {k: figures["seeds"][kind][k] for k in ("p", "r", "f1")} | {"goal": GOALS[kind]} for kind in KINDS
    }
    return figures, details


# -- printing -----------------------------------------------------------------
def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with a title line."""
    cells = [list(map(str, header))] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [title]
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths,
                                                                                                    strict=True))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _prf_row(label: str, f: dict[str, Any], gold: int | None = None) -> list[Any]:
    gold_n = f["tp"] + f["fn"] if gold is None else gold
    return [label, gold_n, f["tp"] + f["fp"], f["tp"], f["fp"], f["fn"], f["p"], f["r"], f["f1"]]


PRF_HEADER = ("", "gold", "predicted", "TP", "FP", "FN", "P", "R", "F1")


def _acc(a: dict[str, Any]) -> str:
    return f"{a['right']}/{a['of']} ({a['accuracy']:.3f})"


PLOVER_MAPPING = ("PLOVER -> kind: CONSULT -> meeting; AGREE -> agreement; COOPERATE, AID, SUPPORT -> Cooperation; "
                  "SANCTION -> Sanction; THREATEN, COERCE, ASSAULT, FIGHT -> Conflict; other types -> none")


def report(figures: dict[str, Any]) -> str:
    """The tables, one per dataset, then the summary."""
    out: list[str] = []
    s = figures["seeds"]
    out.append(table("Seeds: data/articles 000 and 004 against bench/quality/gold/seeds.yaml "
                     "(match = same sentence, type and actor set; duplicates in a sentence count once)",
                     PRF_HEADER, [_prf_row(kind, s[kind]) for kind in KINDS]))
    out.append(f"matched meetings: status right {_acc(s['meetings']['status'])}, date right "
               f"{_acc(s['meetings']['date'])}; matched agreements: status right {_acc(s['agreements']['status'])}")
    agreement = figures["ko_en_agreement"]
    if agreement:
        rows = []
        for kind in (*KINDS, "all"):
            g, p = agreement["gold"][kind], agreement["predicted"][kind]
            rows.append([kind, g["ko"], g["en"], g["both"], g["jaccard"], p["ko"], p["en"], p["both"], p["jaccard"]])
        out.append(table("Seed 000, Korean half vs English half: distinct facts (type + actor set + status; "
                         "people by name) and the share found in both (Jaccard)",
                         ("", "gold ko", "gold en", "both", "Jaccard", "pred ko", "pred en", "both", "Jaccard"),
                         rows))
    for name, title, mapping in (
        ("plover", "PLOVER gold-standard records (English), development half (even records)", PLOVER_MAPPING),
        ("plover_heldout", "PLOVER gold-standard records (English), held-out half (odd records; rules are "
         "written looking at the even half only)", PLOVER_MAPPING),
        ("petrarch2", "PETRARCH2 unit-test records between real states (English)",
         "CAMEO -> kind: 03 intent and 057 sign formal agreement -> agreement; 04 consult -> meeting; "
         "05, 06 cooperation and 07 aid -> Cooperation; 16 reduce relations (161 break relations, "
         "163 sanctions ...) -> Sanction; 13, 15, 17, 18, 19, 20 -> Conflict; others -> none"),
    ):
        f = figures.get(name, figures["plover"] if name == "plover_heldout" else {})
        if "missing" in f:
            out.append(f"{title}: not found ({f['missing']})")
            continue
        rows = [_prf_row("actors of facts", f["actors"]), _prf_row("actors mentioned", f["actors_mentioned"])]
        rows += [_prf_row(f"kind {k}", f["event_kinds"][k], f["event_kinds"][k]["gold"])
                 for k in external.EVENT_KINDS]
        rows.append(_prf_row("kind, all", f["event_kinds_all"]))
        out.append(table(f"{title}: {f['records']} sentences, {f['records_with_state_actors']} with state actors "
                         "(actors: state codes of source + target; kinds: one gold event per sentence, so "
                         "precision is a lower bound)", PRF_HEADER, rows))
        out.append(mapping + "; relations Alliance and Partnership count as Cooperation")
        out.append(f"gold kind found with exactly the gold states as its actors: {_acc(f['kind_and_actors'])}")
    k = figures["klue_ner"]
    if "missing" in k:
        out.append(f"KLUE-NER: not found ({k['missing']})")
    else:
        rows = [[label, k[key]["gold"], k[key]["predicted"], k[key]["hit"], k[key]["right"], k[key]["p"],
                 k[key]["r"], k[key]["f1"]]
                for label, key in (("people (PS)", "people"), ("organizations (OG)", "organizations"))]
        out.append(table(f"KLUE-NER diplomacy sentences (Korean): {k['sentences']} sentences "
                         "(people: extracted people whose surface overlaps a PS span; organizations: actor "
                         "mentions overlapping an OG span, a mention right if it overlaps OG or LC)",
                         ("", "gold spans", "predicted", "spans hit", "predictions right", "P", "R", "F1"), rows))
    out.append(table("Summary (seeds)", ("kind", "P", "R", "F1", "goal"),
                     [[kind, v["p"], v["r"], v["f1"], v["goal"]] for kind, v in figures["summary"].items()]))
    return "\n\n".join(out)


def error_report(figures: dict[str, Any], details: dict[str, Any]) -> str:
    """Every miss, false alarm and wrong status or date, with its sentence."""
    out: list[str] = []
    results: seeds.SeedResults = details["seeds"]
    for kind in KINDS:
        r = results.by_kind[kind]
        for g in r.missed:
            out.append(f"[seeds {kind}] MISSED {g.describe()}  ({g.article}, {g.lang})\n    quote: {g.quote}")
        for p in r.false:
            out.append(f"[seeds {kind}] FALSE  {p.describe()}  ({p.article})\n    sentence: {p.sentence}")
        for attribute in ("status", "date") if kind == "meetings" else ("status",) if kind == "agreements" else ():
            for g, p in r.wrong(attribute):
                out.append(f"[seeds {kind}] WRONG {attribute}: gold {getattr(g, attribute) or '(none)'}, "
                           f"predicted {getattr(p, attribute) or '(none)'} for {g.type} "
                           f"[{' '.join(sorted(g.actors))}]\n    sentence: {p.sentence}")
    for side, per_kind in figures["ko_en_agreement"].items():
        for kind in KINDS:
            for half in ("only_ko", "only_en"):
                for fact in per_kind[kind][half]:
                    out.append(f"[ko/en {side}] {half}: {fact}")
    for name in ("plover", "petrarch2"):  # the held-out half is scored, never shown
        for e in details.get(name, []):
            out.append(f"[{name} {e['id']}] gold {'/'.join(e['gold_events'])} -> {e['gold_kinds']} "
                       f"{e['gold_actors']}; predicted {e['predicted_kinds']} {e['predicted_actors']}\n"
                       f"    {e['text']}")
    for e in details.get("klue_ner", []):
        out.append(f"[klue {e['id']}] missed people {e['missed_people']}, false people {e['false_people']}, "
                   f"missed orgs {e['missed_orgs']}\n    {e['text']}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Measure, print the tables (or JSON), and return the figures."""
    parser = argparse.ArgumentParser(prog="bench.quality.run", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    parser.add_argument("--errors", action="store_true", help="also list every miss, false alarm and wrong value")
    parser.add_argument("--eval-dir", type=Path, default=external.EVAL, help="the shared evaluation data")
    args = parser.parse_args(argv)
    figures, details = measure(args.eval_dir)
    if args.json:
        data = dict(figures)
        if args.errors:
            data["errors"] = error_report(figures, details).splitlines()
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(report(figures))
        if args.errors:
            print("\nErrors\n------")
            print(error_report(figures, details))
    return figures


if __name__ == "__main__":
    main()
