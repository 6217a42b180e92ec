//! Who may do what: the three roles of an account and the permissions
//! each holds. Handlers ask `role.can(Permission::…)`; the answer lives
//! here only, so a new action is one line in [`Role::can`].

use std::fmt;
use std::str::FromStr;

/// An account's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including accounts and the audit log.
    Admin,
    /// Uploads, takes articles down, undoes their own imports.
    Editor,
    /// Reads (on a private archive, reading needs an account).
    Reader,
}

/// Something an account may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Upload dumps (web form and `POST /api/imports`) and follow imports.
    Upload,
    /// Take an article down.
    TakeDown,
    /// Restore an article that was taken down.
    RestoreArticle,
    /// Undo an import this account started (see [`Role::may_undo`]).
    UndoOwnImport,
    /// Undo anyone's import.
    UndoAnyImport,
    /// Add, remove and change accounts.
    ManageUsers,
    /// Read the audit log.
    ReadAudit,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Editor, Role::Reader];

    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Editor => matches!(permission, Upload | TakeDown | UndoOwnImport),
            Role::Reader => false,
        }
    }

    /// Whether an account of this role named `actor` may undo an import
    /// started by `started_by` (`None`: the command line, or from before
    /// accounts — only an admin may undo those).
    pub fn may_undo(self, actor: &str, started_by: Option<&str>) -> bool {
        self.can(Permission::UndoAnyImport)
            || (self.can(Permission::UndoOwnImport) && started_by == Some(actor))
    }

    /// The name stored and typed (`admin`, `editor`, `reader`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Reader => "reader",
        }
    }

    /// The role's Arabic name, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "مشرف",
            Role::Editor => "محرر",
            Role::Reader => "قارئ",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is none of the three.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: use admin, editor or reader")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(text: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim())
            .ok_or_else(|| UnknownRole(text.to_owned()))
    }
}

/// What a user name may be: 1–64 letters (any script), digits, `.`, `_`
/// or `-`; it appears in URLs, the audit log and the command line.
pub fn valid_name(name: &str) -> bool {
    let count = name.chars().count();
    (1..=64).contains(&count)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_holds_its_permissions() {
        use Permission::*;
        let all = [
            Upload,
            TakeDown,
            RestoreArticle,
            UndoOwnImport,
            UndoAnyImport,
            ManageUsers,
            ReadAudit,
        ];
        assert!(all.iter().all(|p| Role::Admin.can(*p)));
        let editor: Vec<_> = all.into_iter().filter(|p| Role::Editor.can(*p)).collect();
        assert_eq!(editor, [Upload, TakeDown, UndoOwnImport]);
        assert!(all.iter().all(|p| !Role::Reader.can(*p)));
    }

    #[test]
    fn editors_undo_only_their_own_imports() {
        assert!(Role::Editor.may_undo("salma", Some("salma")));
        assert!(!Role::Editor.may_undo("salma", Some("omar")));
        assert!(!Role::Editor.may_undo("salma", None));
        assert!(Role::Admin.may_undo("admin", None));
        assert!(!Role::Reader.may_undo("salma", Some("salma")));
    }

    #[test]
    fn roles_parse_from_their_names_only() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("Admin".parse::<Role>().is_err());
        assert!("owner".parse::<Role>().is_err());
    }

    #[test]
    fn names_are_short_words() {
        assert!(valid_name("admin"));
        assert!(valid_name("سلمى.ع"));
        assert!(!valid_name(""));
        assert!(!valid_name("a b"));
        assert!(!valid_name("a/b"));
        assert!(!valid_name(&"x".repeat(65)));
    }
}
