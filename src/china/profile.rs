//! China's profile: how names and codes are written in China, and what its
//! code history says.

use std::sync::{Arc, OnceLock};

use crate::china::code::ChinaCode;
use crate::china::forms::forms;
use crate::china::kind::COUNTY;
use crate::{CodeBuf, FormStrength, Hierarchy, KindDef, Profile, ShortForm, Successions};

/// China's [`Profile`]: the short forms of [`short_forms`](crate::china::short_forms),
/// every form of an NBS code ([`ChinaCode`]), villages as the deep level,
/// and, with the `history` feature, the MCA code history 1981–2025 as the
/// succession of old codes and names.
///
/// [`china()`](crate::china()) is built with it; give it to a hierarchy of
/// China's [`schema`](crate::china::schema) that you build or load
/// yourself (another NBS year, a city's grid layer) with
/// [`profile()`](crate::china::profile).
///
/// # Examples
///
/// ```
/// use xzqh::Profile;
/// let p = xzqh::china::profile();
/// assert_eq!(p.name(), "china");
/// let mut code = xzqh::CodeBuf::new();
/// assert!(p.normalize_code("110105000000", &mut code));
/// assert_eq!(code.as_str(), "110105");
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ChinaProfile {}

/// Village level and below: names repeat by the hundred (和平村 ×274).
const DEEP_RANK: u8 = 5;

impl Profile for ChinaProfile {
    fn name(&self) -> &str {
        "china"
    }

    fn short_forms<'n>(&self, name: &'n str, kind: &KindDef, out: &mut Vec<ShortForm<'n>>) {
        // County level and above: names rarely repeat, so their forms may
        // start a reading anywhere (新疆 is the region, not 新疆街道).
        let major = kind.level().rank() <= COUNTY.rank();
        for f in forms(name).into_iter().flatten() {
            out.push(if !f.tail.is_empty() {
                ShortForm::with_tail(f.stem, f.tail)
            } else if major {
                ShortForm::new(f.stem, FormStrength::Major)
            } else {
                ShortForm::new(f.stem, FormStrength::Minor)
            });
        }
    }

    fn deep_rank(&self) -> Option<u8> {
        Some(DEEP_RANK)
    }

    fn normalize_code(&self, code: &str, out: &mut CodeBuf) -> bool {
        match code.parse::<ChinaCode>() {
            Ok(c) => c.write_data_form(out),
            Err(_) => false,
        }
    }

    fn successions(&self, hierarchy: &Hierarchy) -> Option<Box<dyn Successions>> {
        #[cfg(feature = "history")]
        {
            Some(Box::new(crate::china::history::Bound::new(
                crate::china::history::History::embedded(),
                hierarchy,
            )))
        }
        #[cfg(not(feature = "history"))]
        {
            let _ = hierarchy;
            None
        }
    }
}

/// China's profile, shared: give it to hierarchies of China's schema that
/// you build or load ([`HierarchyBuilder::profile`](crate::HierarchyBuilder::profile)).
///
/// # Examples
///
/// ```
/// use xzqh::china::ChinaKind;
/// let h = xzqh::Hierarchy::builder(xzqh::china::schema())
///     .profile(xzqh::china::profile())
///     .unit("0", "中华人民共和国", ChinaKind::State, None)
///     .unit("45", "广西壮族自治区", ChinaKind::AutonomousRegion, Some("0"))
///     .build()?;
/// assert_eq!(h.names().lookup("广西")?.code(), "45");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn profile() -> Arc<dyn Profile> {
    static PROFILE: OnceLock<Arc<dyn Profile>> = OnceLock::new();
    PROFILE
        .get_or_init(|| Arc::new(ChinaProfile::default()))
        .clone()
}
