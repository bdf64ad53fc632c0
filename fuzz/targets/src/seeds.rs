//! Seed inputs, all taken from the crate's own outputs: a small part of
//! China's hierarchy (Beijing's districts, Shenzhen's districts and the
//! townships of Nanshan) written as snapshots, JSON and CSV; China's default
//! policy as TOML and JSON; codes, names, addresses and cases made of that
//! part's units.

use std::sync::OnceLock;

use xzqh::Hierarchy;

/// The seed hierarchy, with China's profile and without one (its snapshots
/// record the profile, and the targets load with both).
pub fn small() -> &'static [Hierarchy; 2] {
    static H: OnceLock<[Hierarchy; 2]> = OnceLock::new();
    H.get_or_init(|| {
        let china = xzqh::china();
        let mut keep: Vec<xzqh::Unit<'_>> = vec![china.root()];
        for code in ["11", "44", "4403", "440305"] {
            let u = china.by_code(code).expect("in China's data");
            keep.push(u);
            keep.extend(u.children());
        }
        let mut seen = std::collections::HashSet::new();
        keep.retain(|u| seen.insert(u.code()));
        let build = |profile: bool| {
            let mut b = Hierarchy::builder(xzqh::china::schema());
            if profile {
                b = b.profile(xzqh::china::profile());
            }
            for &u in &keep {
                b = b.unit(
                    u.code(),
                    u.name(),
                    u.kind().name(),
                    u.parent().map(|p| p.code()),
                );
                for d in u.designations().iter() {
                    b = b.designate(u.code(), d);
                }
                for (to, relation) in u.relations_out() {
                    if keep.contains(&to) {
                        b = b.relation(u.code(), to.code(), relation);
                    }
                }
            }
            b.data_version("fuzz seed")
                .build()
                .expect("a part of China builds")
        };
        [build(true), build(false)]
    })
}

/// Binary snapshots.
pub fn snapshots() -> Vec<Vec<u8>> {
    small().iter().map(Hierarchy::to_snapshot).collect()
}

/// JSON snapshots.
pub fn json() -> Vec<Vec<u8>> {
    small().iter().map(|h| h.to_json().into_bytes()).collect()
}

/// CSV with a `kind` column, and without one.
pub fn csv() -> Vec<Vec<u8>> {
    let h = &small()[1];
    let mut with_kind = String::from("code,name,parent_code,kind\n");
    let mut without = String::from("code,name,parent_code\n");
    for u in h.units() {
        let parent = u.parent().map_or("", |p| p.code());
        let name = if u.name().contains(',') {
            format!("\"{}\"", u.name().replace('"', "\"\""))
        } else {
            u.name().to_owned()
        };
        with_kind.push_str(&format!(
            "{},{name},{parent},{}\n",
            u.code(),
            u.kind().name()
        ));
        if u.parent().is_some() {
            without.push_str(&format!("{},{name},{parent}\n", u.code()));
        }
    }
    vec![with_kind.into_bytes(), without.into_bytes()]
}

/// China's default policy and the England example's, as TOML.
pub fn policies_toml() -> Vec<Vec<u8>> {
    vec![
        toml::to_string(&xzqh::china::policy())
            .expect("a policy writes as TOML")
            .into_bytes(),
        include_bytes!("../../../examples/england_policy.toml").to_vec(),
    ]
}

/// China's default policy as JSON.
pub fn policies_json() -> Vec<Vec<u8>> {
    vec![
        serde_json::to_vec(&xzqh::china::policy()).expect("a policy writes as JSON"),
        serde_json::to_vec_pretty(&xzqh::routing::Policy::new("empty"))
            .expect("a policy writes as JSON"),
    ]
}

/// Codes of the seed units in their short and 12-digit forms.
pub fn codes() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for u in small()[0].units().skip(1) {
        out.push(u.code().as_bytes().to_vec());
        out.push(format!("{:0<12}", u.code()).into_bytes());
    }
    out
}

/// Names and paths of the seed units.
pub fn names() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for u in small()[0].units().skip(1) {
        out.push(u.name().as_bytes().to_vec());
        if let Some(p) = u.parent() {
            out.push(format!("{} {}", p.name(), u.name()).into_bytes());
        }
    }
    out
}

/// Addresses: each seed unit's chain of names, then a street.
pub fn addresses() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for u in small()[0].units().skip(1) {
        let mut chain: Vec<&str> = u.ancestors().map(|a| a.name()).collect();
        chain.pop(); // the root
        chain.reverse();
        chain.push(u.name());
        out.push(format!("{}科技园12号", chain.concat()).into_bytes());
    }
    out
}

/// Cases: a category of China's policy, a severity, a text place.
pub fn cases() -> Vec<Vec<u8>> {
    let policy = xzqh::china::policy();
    let mut out = Vec::new();
    let places = addresses();
    for (i, c) in policy.categories.iter().enumerate() {
        let severity = policy
            .severities
            .get(i % (policy.severities.len() + 1))
            .map_or("", |s| s.name.as_str());
        let place = String::from_utf8_lossy(&places[i % places.len()]).into_owned();
        out.push(format!("{}\n{severity}\n{place}", c.name).into_bytes());
    }
    out
}

/// Directories of bodies, as CSV and as JSON.
pub fn directories() -> Vec<Vec<u8>> {
    vec![
        "unit,body,name,phone,email,endpoint,present\n\
         440305,urban_management,南山区城市管理和综合执法局,0755-12319,cg@example.org,https://example.org/cases,yes\n\
         440306,urban_management,,,,,no\n\
         \"4403\",\"ecology_environment\",\"深圳市生态环境局, 总机\",12369,,,\n"
            .as_bytes()
            .to_vec(),
        br#"[{"unit": "4403", "body": "ecology_environment", "phone": "12369"}, {"unit": "440306", "body": "water", "present": false}]"#
            .to_vec(),
    ]
}

/// Request bodies of ledger events: arrivals that spread and burst,
/// acceptances, resolutions, reopenings, a close, a hand-down and a tick.
pub fn events() -> Vec<Vec<u8>> {
    vec![
        br#"{"event": "arrive", "case": "c1", "matter": "m", "category": "petition", "places": [{"code": "110105021"}], "people": 40, "at": 1700000000}"#.to_vec(),
        r#"[{"event": "arrive", "case": "c1", "matter": "wages", "category": "public_complaint", "severity": "major", "places": [{"code": "440305007"}, {"text": "深圳市宝安区西乡街道"}], "at": 1700000000},
            {"event": "arrive", "case": "c2", "matter": "wages", "category": "public_complaint", "places": [{"id": 7}], "at": 1700000060},
            {"event": "accept", "case": "c1", "at": 1700000120},
            {"event": "resolve", "case": "c1", "at": 1700000180},
            {"event": "reopen", "case": "c1", "at": 1700000240},
            {"event": "deescalate", "matter": "wages", "to": {"code": "4403"}, "at": 1700000300},
            {"event": "tick", "at": 1702000000},
            {"event": "close", "matter": "wages", "at": 1702000060}]"#
            .as_bytes()
            .to_vec(),
    ]
}
