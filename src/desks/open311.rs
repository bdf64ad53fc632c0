//! Open311 GeoReport v2 shapes: what FixMyStreet-style front ends send and
//! read, as serde types a service built on the crate speaks.

use serde::{Deserialize, Serialize};

use crate::routing::{CompiledPolicy, Place};

/// One entry of `GET services`: a service type (a routing category).
///
/// # Examples
///
/// ```
/// let p = xzqh::routing::CompiledPolicy::compile(xzqh::china::policy(), xzqh::china())?;
/// let services = xzqh::desks::open311::services(&p);
/// let noise = services.iter().find(|s| s.service_code == "urban_management").unwrap();
/// assert_eq!(noise.service_name, "城市管理");
/// assert_eq!(serde_json::to_value(noise)?["type"], "realtime");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Service {
    /// The category's name.
    pub service_code: String,
    /// The category's label (or its name when it has none).
    pub service_name: String,
    /// What the service is for.
    #[serde(default)]
    pub description: String,
    /// Whether `GET services/{code}` has extra attributes (none here).
    pub metadata: bool,
    /// `realtime`: requests are dispatched as they arrive.
    #[serde(rename = "type")]
    pub kind: String,
    /// Search words.
    #[serde(default)]
    pub keywords: String,
    /// A group of services.
    #[serde(default)]
    pub group: String,
}

/// The services of a jurisdiction: one per category of the routing policy,
/// in the policy's order.
///
/// # Examples
///
/// See [`Service`].
pub fn services(policy: &CompiledPolicy) -> Vec<Service> {
    policy
        .policy()
        .categories
        .iter()
        .map(|c| Service {
            service_code: c.name.clone(),
            service_name: if c.label.is_empty() {
                c.name.clone()
            } else {
                c.label.clone()
            },
            description: String::new(),
            metadata: false,
            kind: "realtime".to_owned(),
            keywords: String::new(),
            group: c.min_level.clone().unwrap_or_default(),
        })
        .collect()
}

/// `POST requests`: a service request, as a front end sends it.
///
/// # Examples
///
/// ```
/// use xzqh::routing::Case;
/// let json = r#"{"service_code": "urban_management", "address_string": "深圳市南山区粤海街道科技园", "description": "工地夜间施工噪音"}"#;
/// let request: xzqh::desks::open311::ServiceRequest = serde_json::from_str(json)?;
/// let place = request.place().unwrap();
/// let places = [place];
/// let case = request.case(&places);
/// assert_eq!(case.category, "urban_management");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceRequest {
    /// The service type (a routing category).
    pub service_code: String,
    /// Latitude (not read: the crate locates by address or code).
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude (not read).
    #[serde(default)]
    pub long: Option<f64>,
    /// A free-text address, read by the hierarchy's address reader.
    #[serde(default)]
    pub address_string: Option<String>,
    /// A unit code.
    #[serde(default)]
    pub address_id: Option<String>,
    /// What the requester says.
    #[serde(default)]
    pub description: String,
    /// Selects the jurisdiction when a service serves several.
    #[serde(default)]
    pub jurisdiction_id: Option<String>,
}

impl ServiceRequest {
    /// Where the request is: its `address_id` as a code, else its
    /// `address_string` as text; `None` when it gives neither (coordinates
    /// alone are not read).
    ///
    /// # Examples
    ///
    /// See [`ServiceRequest`].
    pub fn place(&self) -> Option<Place<'_>> {
        if let Some(code) = self.address_id.as_deref().filter(|c| !c.is_empty()) {
            return Some(Place::Code(code));
        }
        self.address_string
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(Place::Text)
    }

    /// The request as a case on `places` (usually `[self.place()?]`).
    ///
    /// # Examples
    ///
    /// See [`ServiceRequest`].
    pub fn case<'a>(&'a self, places: &'a [Place<'a>]) -> crate::routing::Case<'a> {
        crate::routing::Case::new(places, &self.service_code)
    }
}

/// The answer to `POST requests`: the new request's id.
///
/// # Examples
///
/// ```
/// let created = xzqh::desks::open311::RequestCreated::new("638344", "深圳市南山区城市管理局");
/// assert_eq!(serde_json::to_value(&created)?["service_request_id"], "638344");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequestCreated {
    /// The request's id.
    pub service_request_id: String,
    /// What the service says about it (here: who handles it).
    #[serde(default)]
    pub service_notice: String,
}

impl RequestCreated {
    /// A created request.
    ///
    /// # Examples
    ///
    /// See [`RequestCreated`].
    pub fn new(id: impl Into<String>, notice: impl Into<String>) -> Self {
        RequestCreated {
            service_request_id: id.into(),
            service_notice: notice.into(),
        }
    }
}

/// `GET requests/{id}`: a request's state.
///
/// # Examples
///
/// ```
/// use xzqh::desks::open311::{RequestStatus, Status};
/// let s = RequestStatus::new("638344", Status::Open, "深圳市南山区城市管理局", "2026-12-05T09:30:00+08:00");
/// let v = serde_json::to_value(&s)?;
/// assert_eq!((v["status"].as_str(), v["agency_responsible"].as_str()), (Some("open"), Some("深圳市南山区城市管理局")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequestStatus {
    /// The request's id.
    pub service_request_id: String,
    /// Open or closed.
    pub status: Status,
    /// The body responsible: the desk's lead body.
    pub agency_responsible: String,
    /// What the service says about it.
    #[serde(default)]
    pub service_notice: String,
    /// When it was requested (ISO 8601, as the front end gave it).
    pub requested_datetime: String,
    /// When it last changed.
    #[serde(default)]
    pub updated_datetime: Option<String>,
    /// When it is expected to be done.
    #[serde(default)]
    pub expected_datetime: Option<String>,
}

impl RequestStatus {
    /// A request's state.
    ///
    /// # Examples
    ///
    /// See [`RequestStatus`].
    pub fn new(
        id: impl Into<String>,
        status: Status,
        agency: impl Into<String>,
        requested: impl Into<String>,
    ) -> Self {
        RequestStatus {
            service_request_id: id.into(),
            status,
            agency_responsible: agency.into(),
            service_notice: String::new(),
            requested_datetime: requested.into(),
            updated_datetime: None,
            expected_datetime: None,
        }
    }
}

/// A request's status in GeoReport v2.
///
/// # Examples
///
/// ```
/// assert_eq!(serde_json::to_string(&xzqh::desks::open311::Status::Closed)?, r#""closed""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Being handled.
    Open,
    /// Done.
    Closed,
}
