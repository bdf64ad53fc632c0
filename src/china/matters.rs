//! China's default rules for the matters ledger.

use crate::matters::{Burst, Calendar, Deadline, MatterRules, Repetition, Within};

/// China's default [`MatterRules`] (for [`policy()`](crate::china::policy)'s
/// categories and grades), and why:
///
/// - **Burst: 10 cases in 24 hours raise the matter one tier.** Many
///   tickets on one subject in a day are the sign of a group incident
///   brewing; a township that would settle one complaint cannot settle a
///   crowd, so the county's coordination centre (综治中心) takes it. A
///   burst raises no higher than the prefectural level: the districted
///   city is the level that plans and coordinates against such risks;
///   above it, spread, severity and scale decide.
/// - **Repetition: a case reopened twice goes to the tier above** as
///   supervision (督办): overdue or repeated tickets get supervision from
///   the level above in 12345 practice.
/// - **Deadlines.** Ordinary tickets (every category, any grade): accepted
///   (签收) within 1 working day, resolved within 5 working days, as local
///   12345 rules commonly set (time limits are local rules: load yours).
///   `emergency`: accepted within 1 hour, resolved within 24 hours.
///   `petition` (信访): accepted or refused within 15 days and handled
///   within 60 days, the limits of the 2022 信访工作条例.
///   The same burst for every category: the practice names one sign (many
///   tickets on one subject in a short window), with no figures per
///   category; a locality that has them sets `category_bursts`.
/// - **Spread** needs no rule: the router's common-ancestor rule takes a
///   matter touching two counties of a districted city to the city, and
///   the ledger keeps the union of a matter's places. No spread window:
///   the practice raises a matter to the lowest common superior of every
///   place it touched, however far apart in time; a locality that counts
///   only recent places (say, two counties within 7 days) sets `spread`
///   to [`Spread { within_hours: 168 }`](crate::matters::Spread).
/// - **Time**: working days in China Standard Time (UTC+8), weekends off.
///   Holidays and adjusted working days (调休) change every year: add them
///   with [`Calendar::read_days`].
/// - **Tolerance**: 300 s, for events logged by many desks slightly out of
///   order.
///
/// # Examples
///
/// ```
/// let rules = xzqh::china::matter_rules();
/// assert_eq!(rules.burst.as_ref().unwrap().cases, 10);
/// assert_eq!(rules.calendar.utc_offset_minutes, 480);
/// assert!(rules.spread.is_none() && rules.category_bursts.is_empty());
/// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
/// xzqh::matters::Ledger::new(&router, rules)?; // valid against the policy
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn matter_rules() -> MatterRules {
    let mut r = MatterRules::new("china-default");
    r.tolerance_seconds = 300;
    r.burst = Some(Burst {
        cases: 10,
        within_hours: 24,
        up_to: Some("prefectural".into()),
    });
    r.repetition = Some(Repetition { reopens: 2 });
    r.deadlines = vec![
        Deadline::new()
            .accept_within(Within::WorkingDays(1))
            .resolve_within(Within::WorkingDays(5)),
        Deadline::new()
            .category("emergency")
            .accept_within(Within::Hours(1))
            .resolve_within(Within::Hours(24)),
        Deadline::new()
            .category("petition")
            .accept_within(Within::Hours(15 * 24))
            .resolve_within(Within::Hours(60 * 24)),
    ];
    r.calendar = Calendar::weekends(480);
    r
}
