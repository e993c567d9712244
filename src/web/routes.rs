//! A router that also keeps the list of what it serves, so the permission test can prove that
//! every page route has its row in `docs/permissions.md` (the API's list is its OpenAPI document).

use axum::handler::Handler;
use axum::routing::{get, post, MethodRouter};
use axum::Router;

use super::AppState;

#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    list: Vec<(&'static str, String)>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    pub fn get<H, T>(self, path: &str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("GET", path, get(handler))
    }

    pub fn post<H, T>(self, path: &str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("POST", path, post(handler))
    }

    fn add(mut self, method: &'static str, path: &str, route: MethodRouter<AppState>) -> Routes {
        self.router = self.router.route(path, route);
        self.list.push((method, path.to_string()));
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    /// (method, path) of every route, in the order they were added.
    pub fn list(&self) -> &[(&'static str, String)] {
        &self.list
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
