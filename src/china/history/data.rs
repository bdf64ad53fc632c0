//! Decoding the history artifact (format in `tools/xzqh-data/src/history.rs`)
//! into flat tables, checking everything the queries rely on.

use crate::china::DataError;
use crate::model::index::StrTable;

const MAGIC: &[u8; 8] = b"XZQHHIST";
const FORMAT_VERSION: u16 = 1;
pub(crate) const NONE: u32 = u32::MAX;
const NONE16: u16 = u16::MAX;
/// Kinds 0..5 end the old record; 5 and 6 leave it in use.
pub(crate) const ENDING_KINDS: u8 = 5;
const KIND_COUNT: u8 = 7;
const ESTABLISH: u8 = 6;
const FLAGS: u8 = 0x70;

/// One run of a code with one name over consecutive yearly tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rec {
    pub(crate) code: u32,
    pub(crate) name: u32,
    /// First and last table years (the table of year Y is the state on 31 December Y).
    pub(crate) first: u16,
    pub(crate) last: u16,
}

/// One change between two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chg {
    pub(crate) old: u32,
    pub(crate) new: u32,
    /// yyyymmdd, or yyyy0000 when only the year is known.
    pub(crate) date: u32,
    pub(crate) table_year: u16,
    pub(crate) kind: u8,
    pub(crate) flags: u8,
    pub(crate) doc: u32,
}

impl Chg {
    #[inline]
    pub(crate) fn ends_old(&self) -> bool {
        self.kind < ENDING_KINDS
    }
}

/// The decoded tables, validated.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub(crate) version: Box<str>,
    pub(crate) first_year: u16,
    pub(crate) last_year: u16,
    pub(crate) cutoff: u32,
    pub(crate) names: StrTable,
    pub(crate) docs: StrTable,
    /// Sorted by (code, first); the runs of one code do not overlap.
    pub(crate) recs: Box<[Rec]>,
    /// Sorted by (table year, date).
    pub(crate) changes: Box<[Chg]>,
}

/// The part named by [`DataError::Truncated`] for a history section.
fn truncated_in(section: &'static str) -> &'static str {
    match section {
        "header" => "the history header",
        "names" => "the history names",
        "documents" => "the history documents",
        "records" => "the history records",
        _ => "the history changes",
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    section: &'static str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DataError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        match end {
            Some(end) => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(DataError::Truncated {
                what: truncated_in(self.section),
            }),
        }
    }

    fn u8(&mut self) -> Result<u8, DataError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, DataError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, DataError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn invalid(&self, what: &'static str) -> DataError {
        DataError::MalformedHistory {
            section: self.section,
            what,
        }
    }

    fn text(&mut self) -> Result<Box<str>, DataError> {
        let n = self.u16()? as usize;
        let b = self.take(n)?;
        std::str::from_utf8(b)
            .map(Box::from)
            .map_err(|_| self.invalid("text is not utf-8"))
    }

    /// A count, one length byte per string, then the strings back to back.
    fn strings(&mut self, max: usize) -> Result<StrTable, DataError> {
        let n = self.u32()? as usize;
        if n > max {
            return Err(self.invalid("too many strings"));
        }
        let lens = self.take(n)?;
        let total = lens.iter().map(|&l| l as usize).sum();
        let blob = std::str::from_utf8(self.take(total)?)
            .map_err(|_| self.invalid("strings are not utf-8"))?;
        let mut pos = 0;
        let mut pieces = Vec::with_capacity(n);
        for &l in lens {
            let s = blob
                .get(pos..pos + l as usize)
                .ok_or_else(|| self.invalid("a string splits a character"))?;
            if s.is_empty() || s.chars().any(char::is_control) {
                return Err(self.invalid("empty string or control character"));
            }
            pieces.push(s);
            pos += l as usize;
        }
        StrTable::from_iter(pieces).ok_or_else(|| self.invalid("strings too long"))
    }
}

/// Decodes and validates; never panics.
pub(crate) fn decode(bytes: &[u8]) -> Result<Raw, DataError> {
    let mut r = Reader {
        bytes,
        pos: 0,
        section: "header",
    };
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(DataError::NotHistory);
    }
    r.take(MAGIC.len())?;
    let found = r.u16()?;
    if found != FORMAT_VERSION {
        return Err(DataError::UnsupportedFormat {
            found,
            supported: FORMAT_VERSION,
        });
    }
    r.text()?; // the @generated note
    let version = r.text()?;
    let first_year = r.u16()?;
    let last_year = r.u16()?;
    if first_year > last_year || last_year - first_year > 250 || last_year > 9999 {
        return Err(r.invalid("years out of order, over 250 or past 9999"));
    }
    let cutoff = r.u32()?;

    r.section = "names";
    let names = r.strings(NONE16 as usize)?;
    r.section = "documents";
    let docs = r.strings(NONE16 as usize)?;

    r.section = "records";
    let n = r.u32()? as usize;
    if n >= NONE16 as usize {
        return Err(r.invalid("too many records"));
    }
    let mut recs = Vec::with_capacity(n.min(bytes.len() / 8));
    for _ in 0..n {
        let code = r.u32()?;
        let name = r.u16()? as u32;
        let (first, last) = (r.u8()? as u16 + first_year, r.u8()? as u16 + first_year);
        if code > 999_999 {
            return Err(r.invalid("code beyond six digits"));
        }
        if name as usize >= names.len() {
            return Err(r.invalid("name out of range"));
        }
        if first > last || last > last_year {
            return Err(r.invalid("years out of order or beyond the tables"));
        }
        let rec = Rec {
            code,
            name,
            first,
            last,
        };
        if let Some(prev) = recs.last() {
            let prev: &Rec = prev;
            if (prev.code, prev.first) >= (code, first) {
                return Err(r.invalid("records not sorted by code and first year"));
            }
            if prev.code == code && prev.last >= first {
                return Err(r.invalid("runs of one code overlap"));
            }
        }
        recs.push(rec);
    }

    r.section = "changes";
    let m = r.u32()? as usize;
    let mut changes: Vec<Chg> = Vec::with_capacity(m.min(bytes.len() / 12));
    for _ in 0..m {
        let old = r.u16()?;
        let new = r.u16()? as usize;
        let date = r.u32()?;
        let table_year = r.u8()? as u16 + first_year;
        let kind_flags = r.u8()?;
        let doc = r.u16()?;
        let (kind, flags) = (kind_flags & 0x0F, kind_flags & 0xF0);
        if kind >= KIND_COUNT || flags & !FLAGS != 0 {
            return Err(r.invalid("unknown kind or flag"));
        }
        if doc != NONE16 && doc as usize >= docs.len() {
            return Err(r.invalid("document out of range"));
        }
        if table_year <= first_year || table_year > last_year {
            return Err(r.invalid("table year outside the tables"));
        }
        let nr = recs
            .get(new)
            .ok_or_else(|| r.invalid("record out of range"))?;
        if !(nr.first <= table_year && table_year <= nr.last) {
            return Err(r.invalid("new record not in use in the change's table"));
        }
        let old = if old == NONE16 {
            if kind != ESTABLISH {
                return Err(r.invalid("only an establishment may lack an old record"));
            }
            NONE
        } else {
            let or = recs
                .get(old as usize)
                .ok_or_else(|| r.invalid("record out of range"))?;
            if !(or.first < table_year && table_year - 1 <= or.last) {
                return Err(r.invalid("old record not in use before the change"));
            }
            // Along ending changes the last year strictly increases, so
            // following them always ends.
            let ends = kind < ENDING_KINDS;
            if ends && or.last + 1 != table_year || !ends && or.last < table_year {
                return Err(r.invalid("years do not fit the kind of change"));
            }
            old as u32
        };
        if let Some(prev) = changes.last()
            && (prev.table_year, prev.date) > (table_year, date)
        {
            return Err(r.invalid("changes not sorted by table year and date"));
        }
        changes.push(Chg {
            old,
            new: new as u32,
            date,
            table_year,
            kind,
            flags,
            doc: if doc == NONE16 { NONE } else { doc as u32 },
        });
    }
    if r.pos != bytes.len() {
        return Err(DataError::TrailingBytes {
            extra: bytes.len() - r.pos,
        });
    }
    Ok(Raw {
        version,
        first_year,
        last_year,
        cutoff,
        names,
        docs,
        recs: recs.into_boxed_slice(),
        changes: changes.into_boxed_slice(),
    })
}
