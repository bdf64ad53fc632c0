//! An HTTP service embedding xzqh: unit lookup, jurisdiction checks and
//! routing as JSON, on China's embedded data under the default policy. The
//! API is in `lib.rs` beside this file.
//!
//! Run with `cargo run --release -p xzqh-server [ADDR]`
//! (default `127.0.0.1:3000`), then for example:
//!
//! ```text
//! curl 127.0.0.1:3000/units/429004
//! curl '127.0.0.1:3000/units?name=%E6%9C%9D%E9%98%B3%E5%8C%BA'            # 朝阳区
//! curl '127.0.0.1:3000/governs?authority=42&place=420281&relations=entrusted'
//! curl -d '{"places": ["429004", "429005"], "category": "environment"}' 127.0.0.1:3000/route
//! ```
//!
//! The hierarchy is decoded once, before the first request, and every
//! request reads the same `&'static` copy: routing takes microseconds and
//! takes no lock, so handlers run it inline.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let app = xzqh_server::app(xzqh::china(), xzqh::china::policy())?;
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let limits = xzqh_server::Limits::default();
    xzqh_server::serve(listener, app, limits, async {
        // On an error installing the handler, run until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await?;
    Ok(())
}
