//! China's statistical division codes (统计用区划代码) as a typed value:
//! [`ChinaCode`], its parser and [`CodeError`].
//!
//! See [`ChinaCode`] for the forms a code is written in and the parsing rules.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::china::kind::{COUNTY, PREFECTURAL, PROVINCIAL, TOWNSHIP, VILLAGE};
use crate::{CodeBuf, Level};

/// Powers of ten, `POW10[k] = 10^k`, for `k` in `0..=12`.
const POW10: [u64; 13] = {
    let mut t = [1u64; 13];
    let mut k = 1;
    while k < 13 {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

/// Inputs are cut to this many characters inside errors, so a megabyte of
/// digits does not become a megabyte error message.
const EXCERPT_CHARS: usize = 32;

/// An NBS statistical division code of China, normalized.
///
/// It holds the 12-digit value and the number of digits of its level's data
/// form (2, 4, 6, 9 or 12). [`Display`](fmt::Display) writes the short data
/// form, [`full`](ChinaCode::full) the 12-digit form, and
/// [`gbt2260`](ChinaCode::gbt2260) the 6-digit GB/T 2260 form.
///
/// A code is 12 digits: province 2 + prefecture 2 + county 2 + township 3 +
/// village 3. People and files write it in three forms:
///
/// | form | digits | example (朝阳区, Beijing) |
/// |---|---|---|
/// | data form, cut to the level (the NBS CSVs, [`Hierarchy`](crate::Hierarchy) codes) | 2, 4, 6, 9, 12 | `110105` |
/// | full form, padded with zeros | 12 | `110105000000` |
/// | GB/T 2260 form, padded with zeros (province to county only) | 6 | `110105` |
///
/// # Parsing rules
///
/// - Only ASCII digits: no signs, spaces, letters, full-width or other
///   non-ASCII digits. Nothing is trimmed.
/// - 2, 4 and 9 digits are data forms: the last segment is the unit's own
///   and must not be zero (`1100`, `110105000` are errors, not padding).
/// - 6 and 12 digits are padded forms: trailing zero segments mean a
///   higher level, so `110000` is the province `11`, `110100` the prefecture
///   `1101` and `110105000000` the county `110105`. The 6-digit data form of a
///   county and its GB/T 2260 form are the same string, and a data-form
///   county never ends in `00`, so six digits are never ambiguous.
/// - Parsing normalizes: the value remembers only the 12-digit number and
///   the level, and [`Display`](fmt::Display) writes the data form.
/// - The province segment is `10` to `99` (GB/T 2260 starts every code with
///   a region digit 1-8). Below it, a zero segment is allowed only for the
///   county of a township or village: NBS gives the townships of cities
///   without counties (东莞 4419, 中山 4420, 儋州 4604) county digits `00`,
///   as in `441900121`. A zero prefecture (`110005`) or a village under a
///   zero township (`110105000001`) is an error.
/// - A valid code is well formed, not necessarily assigned: look it up with
///   [`Hierarchy::by_code`](crate::Hierarchy::by_code), which reads every
///   form through China's profile.
///
/// Codes order by their 12-digit value, so a code comes before the codes it
/// is a prefix of.
///
/// # Examples
///
/// ```
/// use xzqh::china::{ChinaCode, COUNTY};
/// let c: ChinaCode = "110105000000".parse()?;
/// assert_eq!(c.to_string(), "110105");
/// assert_eq!(c.full(), 110105000000);
/// assert_eq!(c.gbt2260(), Some(110105));
/// assert_eq!(c.level(), COUNTY);
/// assert_eq!(c, "110105".parse()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChinaCode {
    /// The 12-digit value; its first digit is never zero.
    value: u64,
    /// 2, 4, 6, 9 or 12.
    digits: u8,
}

/// Why a string is not a [`ChinaCode`].
///
/// Every variant but `Empty` carries the input (cut to its first 32 characters plus `…`
/// and its length in bytes when longer) so the message shows what to fix.
///
/// # Examples
///
/// ```
/// use xzqh::china::{ChinaCode, CodeError};
/// let err = "11010".parse::<ChinaCode>().unwrap_err();
/// assert_eq!(err, CodeError::Length { input: "11010".into(), digits: 5 });
/// assert_eq!(err.to_string(), r#"china code "11010" has length 5, expected 2, 4, 6, 9 or 12 digits"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CodeError {
    /// The input is empty.
    #[error("empty china code")]
    Empty,
    /// A character is not a digit at all: a letter, sign, space, punctuation.
    #[error("invalid character {ch:?} at position {position} in china code {input:?}")]
    InvalidCharacter {
        /// The input.
        input: String,
        /// The first offending character.
        ch: char,
        /// Its position in characters, counting from 1.
        position: usize,
    },
    /// A character is a digit or numeral, but not ASCII (full-width `１`,
    /// Arabic-Indic `١`, `①`…).
    #[error("non-ascii digit {ch:?} at position {position} in china code {input:?}")]
    NonAsciiDigit {
        /// The input.
        input: String,
        /// The first offending character.
        ch: char,
        /// Its position in characters, counting from 1.
        position: usize,
    },
    /// The number of digits is not 2, 4, 6, 9 or 12 (this includes digit
    /// strings too long for any integer type: the length is checked before
    /// any arithmetic, so nothing overflows).
    #[error("china code {input:?} has length {digits}, expected 2, 4, 6, 9 or 12 digits")]
    Length {
        /// The input.
        input: String,
        /// The number of digits.
        digits: usize,
    },
    /// Every digit is zero.
    #[error("china code {input:?} is all zeros")]
    AllZero {
        /// The input.
        input: String,
    },
    /// The province segment (first two digits) is below 10.
    #[error("china code {input:?} has province {province:02}, expected 10 to 99")]
    Province {
        /// The input.
        input: String,
        /// The province segment.
        province: u8,
    },
    /// A segment is zero where the code needs a unit: the prefecture of a
    /// county, township or village; the township of a village; the last
    /// segment of a 4- or 9-digit data form.
    #[error("china code {input:?} has a zero {segment} segment")]
    ZeroSegment {
        /// The input.
        input: String,
        /// `"prefecture"` or `"township"` (the county segment may be zero:
        /// see the [`ChinaCode`] docs).
        segment: &'static str,
    },
}

fn excerpt(s: &str) -> String {
    crate::exchange::load::excerpt_chars(s, EXCERPT_CHARS)
}

/// Digits of each level's data form, top first.
const LEVEL_DIGITS: [u8; 5] = [2, 4, 6, 9, 12];

impl ChinaCode {
    /// Parses a code in any of its forms (see the [`ChinaCode`] docs).
    ///
    /// # Errors
    ///
    /// [`CodeError`]: `""` (empty), `"11a105"` and `" 110105"` (invalid
    /// character), `"１１0105"` (non-ASCII digit), `"11010"` and
    /// `"1101050210011"` (length), `"000000"` (all zero), `"0101"`
    /// (province), `"110005"`, `"1100"` and `"110105000001"` (zero segment).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::{ChinaCode, PROVINCIAL, PREFECTURAL, TOWNSHIP};
    /// assert_eq!(ChinaCode::parse("110000")?.level(), PROVINCIAL);
    /// assert_eq!(ChinaCode::parse("110100")?.to_string(), "1101");
    /// assert_eq!(ChinaCode::parse("441900121000")?.to_string(), "441900121");
    /// assert_eq!(ChinaCode::parse("441900121")?.level(), TOWNSHIP);
    /// assert_eq!(ChinaCode::parse("4419")?.level(), PREFECTURAL);
    /// assert_eq!(
    ///     ChinaCode::parse("110005").unwrap_err().to_string(),
    ///     r#"china code "110005" has a zero prefecture segment"#,
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(s: &str) -> Result<ChinaCode, CodeError> {
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        if let Some((i, ch)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            let (input, position) = (excerpt(s), i + 1);
            return Err(if ch.is_numeric() {
                CodeError::NonAsciiDigit {
                    input,
                    ch,
                    position,
                }
            } else {
                CodeError::InvalidCharacter {
                    input,
                    ch,
                    position,
                }
            });
        }
        // All ASCII digits now, so bytes are characters.
        let digits = s.len();
        if !matches!(digits, 2 | 4 | 6 | 9 | 12) {
            return Err(CodeError::Length {
                input: excerpt(s),
                digits,
            });
        }
        let raw = s.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0'));
        let value = raw * POW10[12 - digits];
        let input = || s.to_owned();
        if value == 0 {
            return Err(CodeError::AllZero { input: input() });
        }
        let [province, prefecture, county, township, village] = segments(value);
        if province < 10 {
            return Err(CodeError::Province {
                input: input(),
                province: province as u8,
            });
        }
        let level = match digits {
            // Padded forms: the level is that of the last nonzero segment.
            6 | 12 => [prefecture, county, township, village]
                .iter()
                .rposition(|&seg| seg != 0)
                .map_or(0, |i| i + 1),
            _ => {
                let level = LEVEL_DIGITS.iter().position(|&d| d as usize == digits);
                let level = level.expect("digits is one of LEVEL_DIGITS, checked above");
                if segments(value)[level] == 0 {
                    return Err(CodeError::ZeroSegment {
                        input: input(),
                        segment: SEGMENT_NAMES[level],
                    });
                }
                level
            }
        };
        if level >= 2 && prefecture == 0 {
            return Err(CodeError::ZeroSegment {
                input: input(),
                segment: "prefecture",
            });
        }
        if level == 4 && township == 0 {
            return Err(CodeError::ZeroSegment {
                input: input(),
                segment: "township",
            });
        }
        Ok(ChinaCode {
            value,
            digits: LEVEL_DIGITS[level],
        })
    }

    /// The 12-digit form as a number, e.g. `110105000000` for 朝阳区. It
    /// always has 12 decimal digits (the first is never zero), so
    /// `full().to_string()` is the padded form.
    ///
    /// # Examples
    ///
    /// ```
    /// let c: xzqh::china::ChinaCode = "11".parse()?;
    /// assert_eq!(c.full(), 110000000000);
    /// assert_eq!(c.full().to_string(), "110000000000");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn full(self) -> u64 {
        self.value
    }

    /// The 6-digit GB/T 2260 form as a number (`110000` province, `110100`
    /// prefecture, `110105` county), or `None` for townships and villages,
    /// which GB/T 2260 does not code. It always has 6 decimal digits.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaCode;
    /// assert_eq!("11".parse::<ChinaCode>()?.gbt2260(), Some(110000));
    /// assert_eq!("1101".parse::<ChinaCode>()?.gbt2260(), Some(110100));
    /// assert_eq!("110105".parse::<ChinaCode>()?.gbt2260(), Some(110105));
    /// assert_eq!("110105021".parse::<ChinaCode>()?.gbt2260(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn gbt2260(self) -> Option<u32> {
        if self.digits <= 6 {
            Some((self.value / POW10[6]) as u32)
        } else {
            None
        }
    }

    /// The number of digits of the data form: 2, 4, 6, 9 or 12.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!("110105021000".parse::<xzqh::china::ChinaCode>()?.digits(), 9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn digits(self) -> u8 {
        self.digits
    }

    /// The level the code denotes: [`PROVINCIAL`](crate::china::PROVINCIAL)
    /// to [`VILLAGE`](crate::china::VILLAGE) of China's schema.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::{ChinaCode, VILLAGE};
    /// assert_eq!("110105021001".parse::<ChinaCode>()?.level(), VILLAGE);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn level(self) -> Level {
        match self.digits {
            2 => PROVINCIAL,
            4 => PREFECTURAL,
            6 => COUNTY,
            9 => TOWNSHIP,
            _ => VILLAGE,
        }
    }

    /// The code cut to `digits` (a length of a level above or at this one).
    const fn cut(self, digits: u8) -> ChinaCode {
        let scale = POW10[12 - digits as usize];
        ChinaCode {
            value: self.value / scale * scale,
            digits,
        }
    }

    /// The code-prefix parent: the longest proper prefix that is a code
    /// (township → county, or → prefecture when the county digits are `00`;
    /// county → prefecture; …), `None` for a province.
    ///
    /// This is the parent in the numbering, **not always the administrative
    /// parent** (see "Placeholders" and "Irregular parents" in the
    /// [module docs](mod@crate::china)): Beijing's districts have the prefix `1101`, a
    /// placeholder whose real parent is the municipality `11`; `429004` 仙桃市
    /// has the prefix `4290` but sits directly under the province `42`; `6542`
    /// 塔城地区 has the prefix `65` but is administered by `6540`. Use
    /// [`Unit::parent`](crate::Unit::parent) for the administrative parent.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaCode;
    /// let prefix = |s: &str| -> Result<Option<String>, xzqh::china::CodeError> {
    ///     Ok(s.parse::<ChinaCode>()?.parent_prefix().map(|p| p.to_string()))
    /// };
    /// assert_eq!(prefix("110105021")?.as_deref(), Some("110105"));
    /// assert_eq!(prefix("110105")?.as_deref(), Some("1101")); // not 11
    /// assert_eq!(prefix("441900121")?.as_deref(), Some("4419"));
    /// assert_eq!(prefix("11")?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn parent_prefix(self) -> Option<ChinaCode> {
        match self.digits {
            2 => None,
            4 => Some(self.cut(2)),
            6 => Some(self.cut(4)),
            9 => match self.county() {
                Some(c) => Some(c),
                None => Some(self.cut(4)),
            },
            _ => Some(self.cut(9)),
        }
    }

    /// The province part: the code cut to 2 digits.
    ///
    /// # Examples
    ///
    /// ```
    /// let c: xzqh::china::ChinaCode = "110105021".parse()?;
    /// assert_eq!(c.province().to_string(), "11");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn province(self) -> ChinaCode {
        self.cut(2)
    }

    /// The prefecture part (4 digits), `None` for a province.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaCode;
    /// assert_eq!("110105".parse::<ChinaCode>()?.prefecture().map(|c| c.to_string()).as_deref(), Some("1101"));
    /// assert_eq!("11".parse::<ChinaCode>()?.prefecture(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn prefecture(self) -> Option<ChinaCode> {
        if self.digits >= 4 {
            Some(self.cut(4))
        } else {
            None
        }
    }

    /// The county part (6 digits), `None` above the county level and when
    /// the county digits are `00` (东莞's townships, `441900121`).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaCode;
    /// let county = |s: &str| -> Result<Option<String>, xzqh::china::CodeError> {
    ///     Ok(s.parse::<ChinaCode>()?.county().map(|c| c.to_string()))
    /// };
    /// assert_eq!(county("110105021001")?.as_deref(), Some("110105"));
    /// assert_eq!(county("441900121")?, None);
    /// assert_eq!(county("1101")?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn county(self) -> Option<ChinaCode> {
        if self.digits >= 6 && segments(self.value)[2] != 0 {
            Some(self.cut(6))
        } else {
            None
        }
    }

    /// The township part (9 digits), `None` above the township level.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::ChinaCode;
    /// let c: ChinaCode = "110105021001".parse()?;
    /// assert_eq!(c.township().map(|t| t.to_string()).as_deref(), Some("110105021"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn township(self) -> Option<ChinaCode> {
        if self.digits >= 9 {
            Some(self.cut(9))
        } else {
            None
        }
    }
}

/// Segment names by level index, for [`CodeError::ZeroSegment`].
const SEGMENT_NAMES: [&str; 5] = ["province", "prefecture", "county", "township", "village"];

/// The five segments of a 12-digit value: province, prefecture, county,
/// township, village.
const fn segments(value: u64) -> [u64; 5] {
    [
        value / POW10[10],
        value / POW10[8] % 100,
        value / POW10[6] % 100,
        value / POW10[3] % 1000,
        value % 1000,
    ]
}

impl FromStr for ChinaCode {
    type Err = CodeError;

    /// Same as [`ChinaCode::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChinaCode::parse(s)
    }
}

/// The data form: 2, 4, 6, 9 or 12 digits by level (`11`, `1101`,
/// `110105`, `110105021`, `110105021001`).
impl fmt::Display for ChinaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = self.value / POW10[12 - self.digits as usize];
        write!(f, "{short:0width$}", width = self.digits as usize)
    }
}

impl fmt::Debug for ChinaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChinaCode({self})")
    }
}

impl ChinaCode {
    /// Writes the data form (`11`, `2201`, `110105`, `110105021`,
    /// `110105021001`), the form China's hierarchies key units by, into
    /// `out` without allocating.
    pub(crate) fn write_data_form(&self, out: &mut CodeBuf) -> bool {
        // At most 12 ASCII digits.
        let mut buf = [0u8; 12];
        let n = self.digits as usize;
        let mut short = self.value / POW10[12 - n];
        for b in buf[..n].iter_mut().rev() {
            *b = b'0' + (short % 10) as u8;
            short /= 10;
        }
        std::str::from_utf8(&buf[..n]).is_ok_and(|s| out.push_str(s))
    }
}
