//! Working days: weekends by default, plus holidays and adjusted working
//! days (days moved by a holiday arrangement) that the caller supplies.

use crate::matters::rules::RulesError;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The most holidays or adjusted working days one calendar may list.
///
/// # Examples
///
/// ```
/// assert!(xzqh::matters::MAX_CALENDAR_DAYS >= 10_000);
/// ```
pub const MAX_CALENDAR_DAYS: usize = 100_000;

/// A working-day calendar as plain data: the local time's offset from UTC,
/// the holidays (weekdays off) and the adjusted working days (weekend days
/// worked), as `YYYY-MM-DD` dates. Saturdays and Sundays are days off
/// unless listed as working days.
///
/// # Examples
///
/// ```
/// use xzqh::matters::Calendar;
/// let cal = Calendar::read_days(
///     "# National Day\n2026-10-01 holiday\n2026-10-02 holiday\n2026-10-10 workday\n",
/// )?;
/// assert_eq!(cal.holidays, ["2026-10-01", "2026-10-02"]);
/// assert_eq!(cal.workdays, ["2026-10-10"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Calendar {
    /// Minutes east of UTC of the local time days are counted in (480 for
    /// China Standard Time).
    #[cfg_attr(feature = "serde", serde(default))]
    pub utc_offset_minutes: i32,
    /// Weekdays that are not worked.
    #[cfg_attr(feature = "serde", serde(default))]
    pub holidays: Vec<String>,
    /// Weekend days that are worked.
    #[cfg_attr(feature = "serde", serde(default))]
    pub workdays: Vec<String>,
}

impl Calendar {
    /// Weekends off, no holidays, days counted at `utc_offset_minutes` east of UTC.
    ///
    /// # Examples
    ///
    /// ```
    /// let cal = xzqh::matters::Calendar::weekends(480);
    /// assert!(cal.holidays.is_empty());
    /// ```
    pub fn weekends(utc_offset_minutes: i32) -> Self {
        Calendar {
            utc_offset_minutes,
            ..Calendar::default()
        }
    }

    /// Reads a list of days, one a line: `YYYY-MM-DD holiday` or
    /// `YYYY-MM-DD workday`; blank lines and lines starting with `#` are
    /// skipped. The offset is 0 (set [`Calendar::utc_offset_minutes`]).
    ///
    /// # Errors
    ///
    /// [`RulesError::Calendar`] for a line that is not a valid date and
    /// word, or more than [`MAX_CALENDAR_DAYS`] days.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::matters::Calendar;
    /// let err = Calendar::read_days("2026-02-30 holiday").unwrap_err();
    /// assert_eq!(err.to_string(), "calendar line 1: `2026-02-30 holiday` is not `YYYY-MM-DD holiday|workday`");
    /// ```
    pub fn read_days(text: &str) -> Result<Calendar, RulesError> {
        let mut cal = Calendar::default();
        for (k, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || RulesError::Calendar {
                field: format!("calendar line {}", k + 1),
                text: crate::exchange::load::excerpt(line),
            };
            let mut words = line.split_whitespace();
            let (Some(date), Some(word), None) = (words.next(), words.next(), words.next()) else {
                return Err(bad());
            };
            parse_date(date).ok_or_else(bad)?;
            match word {
                "holiday" => cal.holidays.push(date.to_owned()),
                "workday" => cal.workdays.push(date.to_owned()),
                _ => return Err(bad()),
            }
            if cal.holidays.len() + cal.workdays.len() > MAX_CALENDAR_DAYS {
                return Err(RulesError::Limit {
                    field: "calendar".into(),
                    max: MAX_CALENDAR_DAYS as u64,
                });
            }
        }
        Ok(cal)
    }

    pub(crate) fn compile(&self) -> Result<WorkCalendar, RulesError> {
        if self.utc_offset_minutes.abs() > 24 * 60 {
            return Err(RulesError::Limit {
                field: "calendar.utc_offset_minutes".into(),
                max: 24 * 60,
            });
        }
        if self.holidays.len() + self.workdays.len() > MAX_CALENDAR_DAYS {
            return Err(RulesError::Limit {
                field: "calendar".into(),
                max: MAX_CALENDAR_DAYS as u64,
            });
        }
        let days = |list: &[String], name: &str| -> Result<Vec<i64>, RulesError> {
            let mut out = Vec::with_capacity(list.len());
            for (i, d) in list.iter().enumerate() {
                out.push(parse_date(d).ok_or_else(|| RulesError::Calendar {
                    field: format!("calendar.{name}[{i}]"),
                    text: crate::exchange::load::excerpt(d),
                })?);
            }
            out.sort_unstable();
            out.dedup();
            Ok(out)
        };
        Ok(WorkCalendar {
            offset: i64::from(self.utc_offset_minutes) * 60,
            holidays: days(&self.holidays, "holidays")?,
            workdays: days(&self.workdays, "workdays")?,
        })
    }
}

/// A calendar compiled to sorted day numbers (days since 1970-01-01, local).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkCalendar {
    offset: i64,
    holidays: Vec<i64>,
    workdays: Vec<i64>,
}

impl WorkCalendar {
    fn is_working(&self, day: i64) -> bool {
        if self.workdays.binary_search(&day).is_ok() {
            return true;
        }
        if self.holidays.binary_search(&day).is_ok() {
            return false;
        }
        weekday(day) < 5
    }

    /// The end of the `n`th working day after the day of `t` (local time):
    /// a case that arrives on a Friday with one working day to answer is
    /// due by the end of Monday. Saturates instead of overflowing.
    pub(crate) fn add_working_days(&self, t: i64, n: u32) -> i64 {
        let start = t.saturating_add(self.offset).div_euclid(DAY);
        // Weekdays counted in closed form; the calendar's own days, when
        // one falls in the range, day by day.
        let plain = nth_weekday_after(start, n);
        let listed = |days: &[i64]| {
            let i = days.partition_point(|&d| d <= start);
            days.get(i).is_some_and(|&d| d <= plain)
        };
        let day = if listed(&self.holidays) || listed(&self.workdays) {
            self.day_by_day(start, n)
        } else {
            plain
        };
        (day + 1).saturating_mul(DAY).saturating_sub(self.offset)
    }

    /// The `n`th working day after day `start` (`start` for `n == 0`),
    /// found one day at a time.
    fn day_by_day(&self, start: i64, n: u32) -> i64 {
        let mut day = start;
        let mut left = n;
        // Every week has working days unless holidays cover it: the loop
        // ends within 7 days per working day plus one day per holiday.
        let mut guard = i64::from(n) * 7 + self.holidays.len() as i64 + 7;
        while left > 0 && guard > 0 {
            day += 1;
            guard -= 1;
            if self.is_working(day) {
                left -= 1;
            }
        }
        day
    }
}

/// The day of the week of day `day` (days since 1970-01-01): 0 for Monday
/// to 6 for Sunday (1970-01-01 was a Thursday).
fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// The `n`th weekday (Monday to Friday) after day `start` (`start` for
/// `n == 0`): five in every seven days.
fn nth_weekday_after(start: i64, n: u32) -> i64 {
    if n == 0 {
        return start;
    }
    let w = weekday(start);
    // From the last weekday at or before `start`, `k` weekdays into its
    // week: Monday of that week, plus whole weeks, plus the rest.
    let k = w.min(4);
    let monday = start - w;
    let total = k + i64::from(n);
    monday + total / 5 * 7 + total % 5
}

/// `YYYY-MM-DD` to days since 1970-01-01 (proleptic Gregorian), if valid.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let len = crate::model::civil::days_in_month(y, m)?;
    if d < 1 || d > len {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-1-01"), None);
        assert_eq!(parse_date("+023-01-01"), None);
    }

    #[test]
    fn working_days() {
        let cal = Calendar::weekends(0).compile().unwrap();
        // 2026-12-04 is a Friday.
        let fri = parse_date("2026-12-04").unwrap() * DAY + 15 * 3600;
        let mon_end = parse_date("2026-12-08").unwrap() * DAY;
        assert_eq!(cal.add_working_days(fri, 1), mon_end);
        assert_eq!(cal.add_working_days(fri, 0), fri - 15 * 3600 + DAY);
        let mut c = Calendar::weekends(0);
        c.holidays.push("2026-12-07".into());
        c.workdays.push("2026-12-05".into());
        let cal = c.compile().unwrap();
        // Saturday worked, Monday off: due by the end of Saturday.
        assert_eq!(
            cal.add_working_days(fri, 1),
            parse_date("2026-12-06").unwrap() * DAY
        );
        assert_eq!(cal.add_working_days(i64::MAX, 3), i64::MAX);
    }

    proptest::proptest! {
        /// The closed form gives the day the walk one day at a time
        /// gives, with listed days in the range or not.
        #[test]
        fn closed_form_is_the_walk(
            start in -1_000_000i64..1_000_000,
            n in 0u32..40,
            holidays in proptest::collection::vec(0i64..60, 0..6),
            workdays in proptest::collection::vec(0i64..60, 0..4),
            offset in -14i64..15,
        ) {
            let mut cal = WorkCalendar {
                offset: offset * 3600,
                holidays: holidays.iter().map(|d| start + d).collect(),
                workdays: workdays.iter().map(|d| start + d).collect(),
            };
            cal.holidays.sort_unstable();
            cal.holidays.dedup();
            cal.workdays.sort_unstable();
            cal.workdays.dedup();
            let t = start * DAY + 7 * 3600 - cal.offset;
            let walked = (cal.day_by_day(start, n) + 1) * DAY - cal.offset;
            proptest::prop_assert_eq!(cal.add_working_days(t, n), walked);
            let plain = WorkCalendar { holidays: Vec::new(), workdays: Vec::new(), ..cal.clone() };
            proptest::prop_assert_eq!(nth_weekday_after(start, n), plain.day_by_day(start, n));
        }
    }
}
