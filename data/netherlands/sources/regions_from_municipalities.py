"""Derives the population figures of data/netherlands/regions.json from the CBS municipal table
beside this script (python3 data/netherlands/sources/regions_from_municipalities.py [--write]).

Input: cbs_population_by_municipality_age_2020.csv, population on 1 January 2020 per municipality
(the 355 municipalities of 2020) with its veiligheidsregio code and ten-year age bands 0-9 ... 80-89,
90+ (the column "okt-19" is 10-19, mangled by a spreadsheet). Transcribed from the file
misc/municipalities-population-agegroup.csv of the public GitHub repository mzelst/covid-19 (CBS
figures; the repository's misc/population-agegroup-year.csv gives the same 2020 national total and
80+ count, and CBS StatLine 37296ned/70072ned give 17,407,585 on 1 January 2020).

Output per region: `population` = the CBS total (sum of its municipalities) and `population_by_age`
= the CBS age split raked (iterative proportional fitting) to the calibration's national age bands,
because the engine requires the regions' bands to add up to the calibration's, and the calibration's
bands differ from these CBS counts by up to 4.5% (printed below). Cells are rounded to whole persons
with both margins kept exactly.
"""

import csv
import json
import math
import sys
from collections import OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent


def read_cbs():
    regions = OrderedDict()
    with open(HERE / "cbs_population_by_municipality_age_2020.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        counts = [int(x) for x in row[3:]]
        bands = counts[:8] + [counts[8] + counts[9]]  # 80-89 + 90+ -> 80+
        acc = regions.setdefault(row[1], [0] * 9)
        for a, n in enumerate(bands):
            acc[a] += n
    return len(rows) - 1, regions


def rake(table, row_tot, col_tot, iters=1000):
    x = [list(map(float, r)) for r in table]
    for _ in range(iters):
        for i, r in enumerate(x):
            s = sum(r)
            x[i] = [v * row_tot[i] / s for v in r]
        for j in range(len(col_tot)):
            s = sum(r[j] for r in x)
            for r in x:
                r[j] *= col_tot[j] / s
        err = max(abs(sum(r) - row_tot[i]) for i, r in enumerate(x))
        if err < 1e-9:
            break
    return x


def controlled_round(x, row_tot, col_tot):
    """Integers within one of each cell, with row and column sums exactly row_tot, col_tot
    (a transportation problem solved with augmenting paths)."""
    n, m = len(x), len(col_tot)
    y = [[math.floor(v) for v in r] for r in x]
    need_r = [row_tot[i] - sum(y[i]) for i in range(n)]
    need_c = [col_tot[j] - sum(y[i][j] for i in range(n)) for j in range(m)]
    frac = [[x[i][j] - y[i][j] for j in range(m)] for i in range(n)]
    used = [[False] * m for _ in range(n)]

    def augment(i, seen):
        # Try to add one unit in row i: to a column with need, or through another row.
        order = sorted(range(m), key=lambda j: -frac[i][j])
        for j in order:
            if used[i][j] or frac[i][j] <= 0 or j in seen:
                continue
            seen.add(j)
            if need_c[j] > 0:
                used[i][j] = True
                need_c[j] -= 1
                return True
            for k in range(n):
                if k != i and used[k][j] and augment_swap(k, j, seen):
                    used[i][j] = True
                    return True
        return False

    def augment_swap(k, j, seen):
        # Move row k's unit away from column j to another column.
        used[k][j] = False
        if augment(k, seen):
            return True
        used[k][j] = True
        return False

    for i in range(n):
        while need_r[i] > 0:
            if not augment(i, set()):
                raise SystemExit(f"controlled rounding failed in row {i}")
            need_r[i] -= 1
    out = [[y[i][j] + (1 if used[i][j] else 0) for j in range(m)] for i in range(n)]
    assert all(sum(out[i]) == row_tot[i] for i in range(n))
    assert all(sum(out[i][j] for i in range(n)) == col_tot[j] for j in range(m))
    return out


def main():
    count, cbs = read_cbs()
    cal = json.load(open(DATA / "calibration.json", encoding="utf-8"))
    national = [int(v) for v in cal["population"]]
    doc = json.load(open(DATA / "regions.json", encoding="utf-8"), object_pairs_hook=OrderedDict)
    codes = [r["code"] for r in doc["regions"]]
    assert sorted(codes) == sorted(cbs), (codes, list(cbs))
    totals = [sum(cbs[c]) for c in codes]
    cbs_bands = [sum(cbs[c][a] for c in codes) for a in range(9)]
    print(f"{count} municipalities, total {sum(totals):,}")
    for a, (c, k) in enumerate(zip(cbs_bands, national)):
        print(f"band {a}: CBS {c:>9,}  calibration {k:>9,}  ({(k - c) / c:+.2%})")
    assert sum(totals) == sum(national)
    raked = rake([cbs[c] for c in codes], totals, national)
    rounded = controlled_round(raked, totals, national)
    for r, code, tot, by_age in zip(doc["regions"], codes, totals, rounded):
        old = r["population"]
        print(f"{code} {r['name']:<28} {old:>9,} -> {tot:>9,} ({tot - old:+,})")
        r["population"] = tot
        r["population_by_age"] = by_age
    if "--write" in sys.argv:
        with open(DATA / "regions.json", "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
