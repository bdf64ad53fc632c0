//! A calendar date as China's division data gives it: the data date of an
//! NBS year, or the date of a change in the code history.

use std::fmt;

/// A date: a full date, or only a year (some changes in the code history
/// are dated by year alone).
///
/// It is the data date of a [`ChinaProfile`](crate::china::ChinaProfile)
/// (the NBS data's 统计截止日期, 2023-06-30 for the embedded NBS 2023 data)
/// and, with the `history` feature, the date of a change.
///
/// Dates order chronologically; a year alone sorts before every full date of
/// that year.
///
/// # Examples
///
/// ```
/// use xzqh::china::Date;
/// let d = Date::new(2023, 6, 30).unwrap();
/// assert_eq!((d.year(), d.month(), d.day()), (2023, Some(6), Some(30)));
/// assert_eq!(d.to_string(), "2023-06-30");
/// assert!(Date::new(2023, 2, 29).is_none()); // not a leap year
/// assert!(Date::new(2024, 2, 29).unwrap() > d);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(u32);

#[cfg_attr(not(feature = "history"), allow(dead_code))]
impl Date {
    pub(crate) const fn from_raw(yyyymmdd: u32) -> Self {
        Date(yyyymmdd)
    }

    pub(crate) const fn raw(self) -> u32 {
        self.0
    }

    /// The date `year-month-day`, or `None` when there is no such day (month
    /// outside 1–12, day outside the month, year past 9999).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::china::Date;
    /// assert_eq!(Date::new(2024, 12, 31).unwrap().to_string(), "2024-12-31");
    /// assert!(Date::new(2024, 13, 1).is_none());
    /// assert!(Date::new(2024, 4, 31).is_none());
    /// assert!(Date::new(10_000, 1, 1).is_none());
    /// ```
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let Some(days) = crate::model::civil::days_in_month(year as i64, month as i64) else {
            return None;
        };
        if year > 9999 || day == 0 || day as i64 > days {
            return None;
        }
        Some(Date(year as u32 * 10_000 + month as u32 * 100 + day as u32))
    }

    /// The year.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::Date::new(2023, 6, 30).unwrap().year(), 2023);
    /// ```
    pub const fn year(self) -> u16 {
        (self.0 / 10_000) as u16
    }

    /// The month (1–12), `None` when only the year is known.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::Date::new(2023, 6, 30).unwrap().month(), Some(6));
    /// ```
    pub const fn month(self) -> Option<u8> {
        match (self.0 / 100 % 100) as u8 {
            0 => None,
            m => Some(m),
        }
    }

    /// The day of the month, `None` when only the year is known.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::china::Date::new(2023, 6, 30).unwrap().day(), Some(30));
    /// ```
    pub const fn day(self) -> Option<u8> {
        match (self.0 % 100) as u8 {
            0 => None,
            d => Some(d),
        }
    }
}

/// `2018-12-26`, or `2006` when only the year is known.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month(), self.day()) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year()),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year()),
            _ => write!(f, "{:04}", self.year()),
        }
    }
}
