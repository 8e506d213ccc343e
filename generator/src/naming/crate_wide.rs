//! Every name a generated crate defines outside its groups' types,
//! claimed in one place: its root's modules and items, its cargo
//! features, its client's methods and its client view. The reserved
//! entries are the names the renderer gives the crate's own items
//! (`ir::own`), so that a tag, an operation or a client view named like
//! one of them gets a numbered name instead of a crate that does not
//! build.

use super::{Namespace, feature, snake, view_type};
use crate::ir::own;

/// The crate-wide namespaces of one generated crate.
#[derive(Debug)]
pub struct CrateNames {
    /// The root's modules.
    modules: Namespace,
    /// Cargo features.
    features: Namespace,
    /// The root's other items: statics, the client, re-exports, a view.
    root: Namespace,
    /// The client's methods: its own, a view's, one per operation.
    pub methods: Namespace,
}

/// A client view's names (`client.as_user("bob")` gives a `UserClient`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewNames {
    /// The view's name (`user`).
    pub name: String,
    /// The client's method that makes one (`as_user`).
    pub method: String,
    /// Its type (`UserClient`).
    pub ty: String,
}

impl Default for CrateNames {
    fn default() -> Self {
        CrateNames {
            modules: Namespace::with_reserved(own::MODULES),
            features: Namespace::with_reserved(own::FEATURES),
            root: Namespace::with_reserved(own::root_items()),
            methods: Namespace::with_reserved(own::METHODS),
        }
    }
}

impl CrateNames {
    /// A group's module and feature: its name in snake case, and the same
    /// in kebab case, each numbered (`testing_2`, `testing-2`) when the
    /// crate or another group has it.
    pub fn group(&mut self, name: &str) -> (String, String) {
        let mut candidate = snake(name);
        let stem = candidate.trim_start_matches("r#").to_owned();
        let mut n = 2;
        while self.modules.is_taken(&candidate) || self.features.is_taken(&feature(&candidate)) {
            candidate = format!("{stem}_{n}");
            n += 1;
        }
        let module = self.modules.claim(&candidate, name);
        let feature = self.features.claim(&feature(&module), name);
        (module, feature)
    }

    /// A client view named `name` (`x-bound-parameter`'s `as`): its method
    /// and type, claimed before any operation's method, which goes round
    /// them.
    pub fn view(&mut self, name: &str) -> ViewNames {
        let name = snake(name);
        let plain = name.trim_start_matches("r#");
        let method = self
            .methods
            .claim(&format!("{}{plain}", own::VIEW_PREFIX), "");
        let ty = self.root.claim(&view_type(&name), "");
        ViewNames { name, method, ty }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_named_as_the_crates_own_items_is_numbered_in_module_and_feature() {
        let mut names = CrateNames::default();
        let mut claim = |name| names.group(name);
        assert_eq!(claim("Accounts"), ("accounts".into(), "accounts".into()));
        assert_eq!(claim("Testing"), ("testing_2".into(), "testing-2".into()));
        // Free as a module, taken as a feature: both numbered, to match.
        assert_eq!(claim("Default"), ("default_2".into(), "default-2".into()));
        assert_eq!(claim("Types"), ("types_2".into(), "types-2".into()));
        assert_eq!(claim("A b"), ("a_b".into(), "a-b".into()));
        assert_eq!(claim("a-b"), ("a_b_2".into(), "a-b-2".into()));
        assert_eq!(claim("type"), ("r#type".into(), "type".into()));
    }

    #[test]
    fn a_view_goes_round_the_clients_own_names_and_operations_round_it() {
        let mut names = CrateNames::default();
        let view = names.view("user");
        assert_eq!(
            (view.name.as_str(), view.method.as_str(), view.ty.as_str()),
            ("user", "as_user", "UserClient")
        );
        // An operation named as the view's method gets another name.
        assert_eq!(names.methods.claim("as_user", "as_user"), "as_user_2");
        // A view with no name of its own is not the client.
        let mut names = CrateNames::default();
        let view = names.view("");
        assert_ne!(view.ty, own::CLIENT);
        assert!(!own::METHODS.contains(&view.method.as_str()));
    }
}
