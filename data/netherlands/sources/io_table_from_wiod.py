"""Derives the input-output table of `economy.dated.input_output` in data/netherlands/impacts.json
from the WIOD table of the Netherlands beside this script:

    python3 data/netherlands/sources/io_table_from_wiod.py            # print the section table
    python3 data/netherlands/sources/io_table_from_wiod.py --write    # and write it into impacts.json
    python3 data/netherlands/sources/io_table_from_wiod.py --extract wiot_2011.RData   # redo the CSV

Input: wiod2013_nld_2011_domestic.csv, the Dutch domestic block of the World Input-Output Table
2011 (WIOD, release 2013; Timmer, Dietzenbacher, Los, Stehrer and De Vries, Rev Int Econ
2015;23:575-605): the intermediate use of Dutch products by Dutch industries, 35 industries (NACE
Rev. 1.1, WIOD codes c1-c35), USD million at basic prices, current prices of 2011, and each
industry's gross output. Extracted (``--extract``, which needs the ``rdata`` package) from
``data/wiot_2011.RData`` of the public GitHub repository bquast/wiod (R package "wiod", WIOD
release 2013) at commit 59a28ac22fbd7751ea84c0f33722b5246b0af46d (blob 908adde8dc; sha256 of the
file 8345949612ef0ed824e4e07e140b0ce0b4c77a758975116544a2db660560efb0): rows and columns
29 x 35 + 1 ... 30 x 35 of the 1435 x 1435 intermediate matrix (NLD is the 30th of its 41
countries) and the same entries of its output vector. WIOD builds the Dutch table from the CBS
supply and use tables of the national accounts. sha256 of the extract:
161e70c3c02efc4d52a2350952cd75ce3e229a042bbcf4c1e1f2e1e67481a14f (``--extract`` writes it again byte for byte).

Output: the same table at the model's sections (NACE Rev. 2). Each WIOD industry goes to the section
of its main activity; three industries hold two sections each and are split between them by the
sections' value added (CBS 2019, `economy.sections[].value_added`), with the same input structure:
c17 electricity, gas and water to D and E; c30 renting and other business activities to M and N;
c34 other community, social and personal services to R and S. Known misplacements, left as they
are: publishing (in c7) and computer services (in c30) belong to J in NACE Rev. 2, post (in c27,
here J) to H, travel agencies (in c26, here H) to N, sewage and refuse disposal (in c34, here R
and S) to E, recycling (in c16, here C) to E.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Dict, List, Tuple

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
CSV = HERE / "wiod2013_nld_2011_domestic.csv"

# WIOD release 2013 industries (NACE Rev. 1.1) and the model's section(s) each goes to.
INDUSTRIES: List[Tuple[str, str, List[str]]] = [
    ("c1", "Agriculture, hunting, forestry and fishing", ["A"]),
    ("c2", "Mining and quarrying", ["B"]),
    ("c3", "Food, beverages and tobacco", ["C"]),
    ("c4", "Textiles and textile products", ["C"]),
    ("c5", "Leather, leather products and footwear", ["C"]),
    ("c6", "Wood and products of wood and cork", ["C"]),
    ("c7", "Pulp, paper, printing and publishing", ["C"]),
    ("c8", "Coke, refined petroleum and nuclear fuel", ["C"]),
    ("c9", "Chemicals and chemical products", ["C"]),
    ("c10", "Rubber and plastics", ["C"]),
    ("c11", "Other non-metallic minerals", ["C"]),
    ("c12", "Basic metals and fabricated metal", ["C"]),
    ("c13", "Machinery, nec", ["C"]),
    ("c14", "Electrical and optical equipment", ["C"]),
    ("c15", "Transport equipment", ["C"]),
    ("c16", "Manufacturing, nec; recycling", ["C"]),
    ("c17", "Electricity, gas and water supply", ["D", "E"]),
    ("c18", "Construction", ["F"]),
    ("c19", "Sale, maintenance and repair of motor vehicles; retail sale of fuel", ["G"]),
    ("c20", "Wholesale trade and commission trade", ["G"]),
    ("c21", "Retail trade; repair of household goods", ["G"]),
    ("c22", "Hotels and restaurants", ["I"]),
    ("c23", "Inland transport", ["H"]),
    ("c24", "Water transport", ["H"]),
    ("c25", "Air transport", ["H"]),
    ("c26", "Supporting and auxiliary transport activities; travel agencies", ["H"]),
    ("c27", "Post and telecommunications", ["J"]),
    ("c28", "Financial intermediation", ["K"]),
    ("c29", "Real estate activities", ["L"]),
    ("c30", "Renting of machinery and equipment and other business activities", ["M", "N"]),
    ("c31", "Public administration and defence; compulsory social security", ["O"]),
    ("c32", "Education", ["P"]),
    ("c33", "Health and social work", ["Q"]),
    ("c34", "Other community, social and personal services", ["R", "S"]),
    ("c35", "Private households with employed persons", ["T-U"]),
]

SOURCE = (
    "WIOD release 2013, World Input-Output Table 2011, domestic block of the Netherlands (Timmer et al., "
    "Rev Int Econ 2015;23:575-605; built from the CBS supply and use tables): intermediate use of Dutch "
    "products by Dutch industries and gross output, USD million at basic prices 2011, via the public "
    "GitHub copy bquast/wiod@59a28ac22fbd7751ea84c0f33722b5246b0af46d:data/wiot_2011.RData; 35 industries "
    "(NACE Rev. 1.1) aggregated to sections by data/netherlands/sources/io_table_from_wiod.py (c17 split "
    "D/E, c30 M/N, c34 R/S by value added; publishing and computer services stay in C and M/N, post in J)"
)


def extract(rdata_path: str) -> None:
    """Writes the Dutch domestic block of a WIOD 2013-release RData file (R package "wiod") to CSV."""
    import numpy as np
    import rdata  # type: ignore[import-not-found]

    wiot = rdata.conversion.convert(rdata.parser.parse_file(rdata_path))["wiot_2011"]
    countries = [str(c) for c in wiot["countries"]]
    n = len(INDUSTRIES)
    i = countries.index("NLD")
    block = slice(i * n, (i + 1) * n)
    flows = np.asarray(wiot["inter"])[block, block]
    output = np.asarray(wiot["output"])[block]
    with open(CSV, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["industry", "label", *(code for code, _, _ in INDUSTRIES), "output"])
        for (code, label, _), row, x in zip(INDUSTRIES, flows, output):
            out.writerow([code, label, *(repr(float(v)) for v in row), repr(float(x))])


def read() -> Tuple[List[List[float]], List[float]]:
    """The domestic intermediate flows (supplier x user) and gross output of the 35 industries."""
    with open(CSV, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert [r[0] for r in rows[1:]] == [code for code, _, _ in INDUSTRIES], "industries out of order"
    flows = [[float(v) for v in r[2:-1]] for r in rows[1:]]
    output = [float(r[-1]) for r in rows[1:]]
    return flows, output


def aggregate(value_added: Dict[str, float]) -> Tuple[List[str], List[List[float]], List[float]]:
    """The table at the sections: flows `Z_st = sum_ij w_is Z_ij w_jt`, output `x_t = sum_j x_j w_jt`,
    with `w_is` the share of industry `i` that goes to section `s`."""
    sections = list(value_added)
    weights = []
    for _, _, targets in INDUSTRIES:
        total = sum(value_added[s] for s in targets)
        weights.append({s: value_added[s] / total for s in targets})
    flows, output = read()
    k = {s: j for j, s in enumerate(sections)}
    z = [[0.0] * len(sections) for _ in sections]
    x = [0.0] * len(sections)
    for i, wi in enumerate(weights):
        for j, wj in enumerate(weights):
            for s, a in wi.items():
                for t, b in wj.items():
                    z[k[s]][k[t]] += a * flows[i][j] * b
        for t, b in wi.items():
            x[k[t]] += output[i] * b
    return sections, [[round(v, 1) for v in row] for row in z], [round(v, 1) for v in x]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--extract":
        extract(sys.argv[2])
    path = DATA / "impacts.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    economy = data["economy"]
    value_added = {s["code"]: s["value_added"] for s in economy["sections"]}
    sections, z, x = aggregate(value_added)
    print("section  output  domestic inputs / output  (largest supplier)")
    for t, code in enumerate(sections):
        column = [z[s][t] for s in range(len(sections))]
        top = max(range(len(sections)), key=lambda s: column[s])
        print(f"{code:5} {x[t]:10.0f}  {sum(column) / x[t]:.3f}  ({sections[top]} {column[top] / x[t]:.3f})")
    if "--write" in sys.argv:
        economy["dated"]["input_output"] = {
            "source": SOURCE,
            "sections": sections,
            "flows": z,
            "output": x,
        }
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote economy.dated.input_output into {path}")


if __name__ == "__main__":
    main()
