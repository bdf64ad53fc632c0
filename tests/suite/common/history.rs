//! Shared by the history tests and benches: a hierarchy holding
//! every MCA code of the 2023 table, and a slow reference resolver that scans
//! the source CSV rows at every step, for any cut-off.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use xzqh::Hierarchy;
use xzqh::china::ChinaKind;

pub fn source(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/china/history/source")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `xx0000` → `xx`, `xxxx00` → `xxxx` (written again here on purpose).
pub fn data_form(code: &str) -> &str {
    if code.ends_with("0000") {
        &code[..2]
    } else if code.ends_with("00") {
        &code[..4]
    } else {
        code
    }
}

#[derive(Debug, Clone)]
pub struct Interval {
    pub code: String,
    pub name: String,
    pub first: u16,
    /// 2025 when still in use.
    pub last: u16,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub date: String,
    pub old_code: String,
    pub old_name: String,
    pub new_code: String,
    pub new_name: String,
    pub kind: String,
    pub table_year: u16,
    pub doc: String,
}

pub const LATEST: u16 = 2025;
/// The embedded data's date, the default cut-off.
pub const CUTOFF: &str = "2023-06-30";

pub fn intervals() -> Vec<Interval> {
    source("code_intervals.csv")
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Interval {
                code: f[0].into(),
                name: f[1].into(),
                first: f[2].parse().unwrap(),
                last: if f[3].is_empty() {
                    LATEST
                } else {
                    f[3].parse().unwrap()
                },
            }
        })
        .collect()
}

pub fn rows() -> Vec<Row> {
    source("changes.csv")
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                date: f[0].into(),
                old_code: f[1].into(),
                old_name: f[2].into(),
                new_code: f[3].into(),
                new_name: f[4].into(),
                kind: f[5].into(),
                table_year: f[7].parse().unwrap(),
                doc: f[8].into(),
            }
        })
        .collect()
}

/// Root `0`, provinces, prefectures under their province, counties under
/// their prefecture (or province when it has none): every code in the MCA
/// table of 2023, in data form.
pub fn tree_2023() -> Hierarchy {
    let live: Vec<Interval> = intervals()
        .into_iter()
        .filter(|i| i.first <= 2023 && 2023 <= i.last)
        .collect();
    let codes: HashSet<&str> = live.iter().map(|i| i.code.as_str()).collect();
    let mut b = Hierarchy::builder(xzqh::china::schema())
        .profile(xzqh::china::profile())
        .unit("0", "中华人民共和国", ChinaKind::State, None);
    for i in &live {
        let c = i.code.as_str();
        let (kind, parent) = if c.ends_with("0000") {
            (ChinaKind::Province, "0")
        } else if c.ends_with("00") {
            (ChinaKind::PrefectureCity, &c[..2])
        } else if codes.contains(format!("{}00", &c[..4]).as_str()) {
            (ChinaKind::County, &c[..4])
        } else {
            (ChinaKind::County, &c[..2])
        };
        b = b.unit(data_form(c), &i.name, kind, Some(parent));
    }
    b.build().expect("the 2023 table makes a valid hierarchy")
}

/// What the reference resolver found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// MCA codes in use at the cut-off.
    pub tree: BTreeSet<String>,
    /// `date old new kind` of each ending change followed.
    pub chain: BTreeSet<String>,
    pub later: bool,
}

/// Resolution by scanning the CSV rows at every step.
pub struct Naive {
    pub intervals: Vec<Interval>,
    pub rows: Vec<Row>,
    /// `yyyy-mm-dd`.
    pub cutoff: String,
}

pub fn ends(kind: &str) -> bool {
    matches!(
        kind,
        "rename" | "recode" | "recode_rename" | "merge" | "split"
    )
}

pub fn step(r: &Row) -> String {
    format!("{} {} {} {}", r.date, r.old_code, r.new_code, r.kind)
}

impl Naive {
    /// The reference at the embedded data's date.
    pub fn load() -> Naive {
        Naive::with_cutoff(CUTOFF)
    }

    /// The reference for a hierarchy whose data date is `cutoff` (`yyyy-mm-dd`).
    pub fn with_cutoff(cutoff: &str) -> Naive {
        Naive {
            intervals: intervals(),
            rows: rows(),
            cutoff: cutoff.to_owned(),
        }
    }

    fn cutoff_year(&self) -> u16 {
        self.cutoff[..4].parse().unwrap()
    }

    /// Dated after the cut-off, or first shown in a later year's table.
    pub fn is_later(&self, r: &Row) -> bool {
        let after = if r.date.len() == 10 {
            r.date > self.cutoff
        } else {
            r.date.parse::<u16>().unwrap() > self.cutoff_year()
        };
        after || r.table_year > self.cutoff_year()
    }

    /// First in a later year's table, or made only by later changes.
    fn newer(&self, i: &Interval) -> bool {
        let making: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.new_code == i.code && r.new_name == i.name && r.table_year == i.first)
            .collect();
        i.first > self.cutoff_year()
            || (!making.is_empty() && making.iter().all(|r| self.is_later(r)))
    }

    fn in_use(i: &Interval, year: u16) -> bool {
        i.first <= year && year <= (i.last + 1).min(LATEST)
    }

    fn find(&self, code: &str, name: &str, table: u16) -> &Interval {
        self.intervals
            .iter()
            .find(|i| i.code == code && i.name == name && i.first <= table && table <= i.last)
            .expect("every change names existing records")
    }

    /// `None` when the code is not in use in `year`.
    pub fn resolve(&self, code: &str, year: u16) -> Option<Answer> {
        let mut answer = Answer::default();
        let mut any = false;
        for i in self.intervals.iter().filter(|i| i.code == code) {
            if Self::in_use(i, year) {
                any = true;
                self.follow(i, &mut answer);
            }
        }
        any.then_some(answer)
    }

    fn follow(&self, i: &Interval, a: &mut Answer) {
        let ending: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| {
                r.old_code == i.code
                    && r.old_name == i.name
                    && r.table_year == i.last + 1
                    && ends(&r.kind)
            })
            .collect();
        let reflected: Vec<&&Row> = ending.iter().filter(|r| !self.is_later(r)).collect();
        if !reflected.is_empty() {
            for r in reflected {
                a.chain.insert(step(r));
                let next = self.find(&r.new_code, &r.new_name, r.table_year);
                self.follow(next, a);
            }
        } else if self.newer(i) {
            a.later = true;
            let before = a.tree.len();
            self.back(i, a);
            if a.tree.len() == before {
                a.tree.insert(i.code.clone());
            }
        } else if ending.is_empty() && i.last < self.cutoff_year() && i.last < LATEST {
            // abolished
        } else {
            a.tree.insert(i.code.clone());
            if !ending.is_empty() || i.last < LATEST {
                a.later = true;
            }
        }
    }

    fn back(&self, i: &Interval, a: &mut Answer) {
        for r in self.rows.iter().filter(|r| {
            r.new_code == i.code
                && r.new_name == i.name
                && i.first <= r.table_year
                && r.table_year <= i.last
                && !r.old_code.is_empty()
        }) {
            let old = self.find(&r.old_code, &r.old_name, r.table_year - 1);
            if self.newer(old) {
                self.back(old, a);
            } else {
                self.follow(old, a);
            }
        }
    }
}
