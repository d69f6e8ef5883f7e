//! Golden outputs of national runs: hashes of every number a run and its impacts produce, for the
//! presets under no measures, fixed contact multipliers, every level's package of the Dutch trigger
//! policies, the trigger policies themselves, a package with preparedness levers, a small sweep,
//! and the economy by day of a dated year of the Dutch timeline (computed apart, when read).
//! A refactor keeps them bit for bit; a number that changes on purpose is named in the commit that
//! updates `tests/golden/national.json` (regenerate with `GOLDEN_BLESS=1 cargo test --test golden`).
//!
//! The numbers are hashed by value (FNV-1a over the bits of every f64, in a fixed order), not by
//! the layout of the types that hold them, so moving a field from one record to another keeps the
//! hash.

use std::collections::BTreeMap;

use afweging::measures::policy::Policy;
use afweging::sweep::{Mode, NamedPolicy, NamedScenario, Progress, Sweep};
use afweging::uncertainty::Uncertainty;
use afweging::{impacts, Calibration, Model, Package, Run, Scenario, SectorPlans};

const DAYS: usize = 200;

/// FNV-1a, 64 bits.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn f64s<'a>(&mut self, values: impl IntoIterator<Item = &'a f64>) {
        for v in values {
            self.bytes(&v.to_bits().to_le_bytes());
        }
    }
    fn usizes<'a>(&mut self, values: impl IntoIterator<Item = &'a usize>) {
        for v in values {
            self.bytes(&(*v as u64).to_le_bytes());
        }
    }
    fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Every number of a JSON value, objects in key order (serde_json's map is sorted).
fn json_numbers(v: &serde_json::Value, h: &mut Fnv) {
    match v {
        serde_json::Value::Number(n) => h.f64s([&n.as_f64().expect("a number")]),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_numbers(x, h)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_numbers(x, h)),
        serde_json::Value::Bool(b) => h.bytes(&[*b as u8]),
        _ => {}
    }
}

/// The hashes of one run, by part.
fn hashes(traj: &Run, imp: Option<&impacts::Impacts>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut put = |name: &str, h: Fnv| {
        out.insert(name.to_string(), h.hex());
    };
    let mut h = Fnv::new();
    h.f64s(traj.states.iter());
    put("states", h);
    let mut h = Fnv::new();
    h.f64s(traj.vaccinations.iter());
    put("vaccinations", h);
    let mut h = Fnv::new();
    h.f64s(traj.multipliers.iter());
    put("multipliers", h);
    if let Some(p) = &traj.policy {
        let mut h = Fnv::new();
        h.usizes(&p.level);
        p.rungs.iter().for_each(|r| h.usizes(r));
        h.f64s(&p.stringency);
        for d in &p.decisions {
            h.usizes([&d.day_decided, &d.day_effective, &d.from_level, &d.to_level]);
        }
        put("policy", h);
    }
    if let Some(b) = &traj.behaviour {
        let mut h = Fnv::new();
        for rows in [&b.compliance, &b.support, &b.fatigue, &b.voluntary] {
            rows.iter().for_each(|r| h.f64s(r));
        }
        h.f64s(&b.risk);
        h.f64s(&b.lever_cost);
        for e in b.effectiveness.iter().chain(&b.rested_effectiveness) {
            h.f64s([&e.unwrap_or(-1.0)]);
        }
        put("behaviour", h);
    }
    if let Some(p) = &traj.preparedness {
        let mut h = Fnv::new();
        json_numbers(&serde_json::to_value(p).unwrap(), &mut h);
        put("preparedness", h);
    }
    let mut h = Fnv::new();
    traj.signals.iter().for_each(|s| h.f64s(s));
    put("signals", h);
    if let Some(imp) = imp {
        let mut names: Vec<&impacts::Indicator> = imp.indicators.iter().collect();
        names.sort_by(|a, b| a.name.cmp(&b.name));
        for i in names {
            let mut h = Fnv::new();
            h.f64s([&i.total]);
            for (grouping, values) in &i.by_group {
                h.bytes(grouping.as_bytes());
                h.f64s(values);
            }
            for (grouping, ineq) in &i.inequality {
                h.bytes(grouping.as_bytes());
                json_numbers(&serde_json::to_value(ineq).unwrap(), &mut h);
            }
            put(&format!("impacts.{}", i.name), h);
        }
        let mut h = Fnv::new();
        let d = &imp.daily;
        for series in [
            &d.value_added_lost,
            &d.unemployed,
            &d.mental_health,
            &d.loneliness,
            &d.operations_postponed,
        ] {
            h.f64s(series);
        }
        put("impacts.daily", h);
        if let Some(p) = &imp.preparedness {
            let mut h = Fnv::new();
            json_numbers(&serde_json::to_value(p).unwrap(), &mut h);
            put("impacts.preparedness", h);
        }
    }
    out
}

/// Every case, by name.
fn cases() -> BTreeMap<String, BTreeMap<String, String>> {
    let cal = Calibration::netherlands();
    let plans = SectorPlans::netherlands();
    let mut out = BTreeMap::new();
    let mut policies: Vec<(String, Policy)> = Vec::new();
    for t in &plans.policies {
        policies.push((t.name.clone(), Policy::Trigger(t.clone())));
        for level in &t.levels {
            policies.push((
                format!("{}/{}", t.name, level.name),
                Policy::Package(level.package.clone()),
            ));
        }
    }
    let mut prepared = plans.policy("signal-values").unwrap();
    for level in prepared.levels.iter_mut().skip(1) {
        level.package.general.extend(
            [
                "icu_opschaling_1700",
                "zorg_thuis",
                "vaccinatie_versnelling",
            ]
            .map(String::from),
        );
    }
    policies.push(("prepared".into(), Policy::Trigger(prepared)));
    let support = Package {
        rungs: plans.sectors.iter().map(|s| (s.name.clone(), 2)).collect(),
        general: [
            "loonkostensubsidie_now",
            "vaste_lasten_tvl",
            "communicatiecampagne",
        ]
        .map(String::from)
        .to_vec(),
    };
    policies.push(("support".into(), Policy::Package(support)));
    for preset in Scenario::preset_names() {
        let model = Model::new(cal.clone(), Scenario::preset(&preset).unwrap()).unwrap();
        let traj = model.run(DAYS).unwrap();
        let imp = impacts::compute(&cal, &traj).unwrap();
        out.insert(format!("{preset}/none"), hashes(&traj, Some(&imp)));
        let schedule: Vec<[f64; 4]> = (0..DAYS)
            .map(|d| [1.0, 0.5 + 0.5 * ((d / 30) % 2) as f64, 0.7, 0.6])
            .collect();
        let traj = model.run_with_multipliers(&schedule).unwrap();
        out.insert(format!("{preset}/multipliers"), hashes(&traj, None));
        for (name, policy) in &policies {
            let traj = afweging::run::with_policy(&model, &plans, policy, DAYS).unwrap();
            let imp = impacts::compute(&cal, &traj).unwrap();
            out.insert(format!("{preset}/{name}"), hashes(&traj, Some(&imp)));
        }
    }
    let sweep = Sweep {
        calibration: cal.clone(),
        scenarios: ["centraal", "ongunstig"]
            .iter()
            .map(|n| NamedScenario {
                name: n.to_string(),
                scenario: Scenario::preset(n).unwrap(),
            })
            .collect(),
        policies: vec![
            NamedPolicy {
                name: "none".into(),
                plans: None,
                policy: None,
            },
            NamedPolicy {
                name: "signal-values".into(),
                plans: Some(plans.clone()),
                policy: Some(Policy::Trigger(plans.policy("signal-values").unwrap())),
            },
        ],
        uncertainty: Uncertainty::netherlands(),
        draws: 6,
        seed: 7,
        days: 120,
        mode: Mode::Trajectory,
    };
    let output = sweep.run(0..6, 2, &Progress::new()).unwrap();
    let mut parts = BTreeMap::new();
    for (name, values) in [
        ("indicators", &output.indicators),
        ("series", output.series.as_ref().unwrap()),
        ("parameters", &output.parameters),
    ] {
        let mut h = Fnv::new();
        h.f64s(values);
        parts.insert(name.to_string(), h.hex());
    }
    out.insert("sweep".into(), parts);
    out.insert("timeline_2020/economy".into(), economy_by_day(&cal));
    out
}

/// The economy by day of the Dutch timeline from 2020-03-01, 365 days, `centraal` (what
/// `benches/engine.rs` times): one hash per field with numbers, every number of the field in
/// serde's order.
fn economy_by_day(cal: &Calibration) -> BTreeMap<String, String> {
    let scenario = Scenario::preset("centraal")
        .unwrap()
        .starting_on("2020-03-01".parse().unwrap());
    let model = Model::new(cal.clone(), scenario).unwrap();
    let plans = SectorPlans::netherlands();
    let timeline = afweging::Timeline::netherlands();
    let run = afweging::run::with_timeline(&model, &plans, &timeline, None, 365).unwrap();
    let economy = impacts::economy_by_day(cal, &run)
        .unwrap()
        .expect("a dated economy");
    let serde_json::Value::Object(fields) = serde_json::to_value(&economy).unwrap() else {
        panic!("the economy by day serialises as an object")
    };
    let mut out = BTreeMap::new();
    for (name, value) in &fields {
        let mut h = Fnv::new();
        json_numbers(value, &mut h);
        if h.0 != Fnv::new().0 {
            out.insert(name.clone(), h.hex());
        }
    }
    out
}

#[test]
fn national_outputs_are_unchanged() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/national.json");
    let got = cases();
    if std::env::var_os("GOLDEN_BLESS").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden")).unwrap();
        std::fs::write(path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        return;
    }
    let text = std::fs::read_to_string(path).expect("tests/golden/national.json");
    let want: BTreeMap<String, BTreeMap<String, String>> = serde_json::from_str(&text).unwrap();
    let mut diffs = Vec::new();
    for (case, parts) in &want {
        for (part, hash) in parts {
            let now = got.get(case).and_then(|p| p.get(part));
            if now != Some(hash) {
                diffs.push(format!("{case}: {part} {hash} -> {now:?}"));
            }
        }
    }
    for (case, parts) in &got {
        for part in parts.keys() {
            if want.get(case).and_then(|p| p.get(part)).is_none() {
                diffs.push(format!("{case}: {part} is new"));
            }
        }
    }
    assert!(
        diffs.is_empty(),
        "golden outputs changed:\n{}",
        diffs.join("\n")
    );
}
