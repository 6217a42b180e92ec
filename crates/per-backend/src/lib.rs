//! `#[per_backend]`: compiles a store function's body once per database
//! backend. The function takes `name: &mut Conn`; its body is run with
//! `name` rebound to the concrete SQLite or PostgreSQL connection, so the
//! queries in it (one text each, `$1`-style parameters) are written once
//! and sqlx checks their binds and rows against both drivers.
//!
//! Written on `proc_macro` alone (no syn): it only needs the parameter's
//! name and the body, and the body's tokens keep their spans, so compile
//! errors point at the query as written.

use proc_macro::{Delimiter, Group, Ident, TokenStream, TokenTree};

/// See the crate documentation. Expands
/// `fn f(conn: &mut Conn, ..) { body }` into
/// `fn f(conn: &mut Conn, ..) { match conn.backend() { Sqlite(conn) => { body } Postgres(conn) => { body } } }`.
#[proc_macro_attribute]
pub fn per_backend(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        return error("#[per_backend] takes no arguments");
    }
    let mut tokens: Vec<TokenTree> = item.into_iter().collect();
    let body = match tokens.pop() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => g,
        _ => return error("#[per_backend] goes on a function with a body"),
    };
    let Some(conn) = tokens.iter().find_map(|t| match t {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => conn_param(g),
        _ => None,
    }) else {
        return error("#[per_backend] needs a parameter `name: &mut Conn`");
    };
    let arm = |variant: &str| -> TokenStream {
        let mut arm: TokenStream = format!("crate::store::Backend::{variant}({conn}) =>")
            .parse()
            .expect("static tokens");
        arm.extend([TokenTree::Group(Group::new(
            Delimiter::Brace,
            body.stream(),
        ))]);
        arm
    };
    let mut arms = arm("Sqlite");
    arms.extend(arm("Postgres"));
    let mut dispatch: TokenStream = format!("match {conn}.backend()")
        .parse()
        .expect("static tokens");
    dispatch.extend([TokenTree::Group(Group::new(Delimiter::Brace, arms))]);
    let mut new_body = Group::new(Delimiter::Brace, dispatch);
    new_body.set_span(body.span());
    tokens.push(TokenTree::Group(new_body));
    tokens.into_iter().collect()
}

/// The name of the `name: &mut Conn` parameter in a parameter list.
fn conn_param(params: &Group) -> Option<Ident> {
    let tokens: Vec<TokenTree> = params.stream().into_iter().collect();
    tokens.windows(5).find_map(|w| match w {
        [
            TokenTree::Ident(name),
            TokenTree::Punct(colon),
            TokenTree::Punct(amp),
            TokenTree::Ident(kw),
            TokenTree::Ident(ty),
        ] if colon.as_char() == ':'
            && amp.as_char() == '&'
            && kw.to_string() == "mut"
            && ty.to_string() == "Conn" =>
        {
            Some(name.clone())
        }
        _ => None,
    })
}

fn error(message: &str) -> TokenStream {
    format!("compile_error!({message:?});")
        .parse()
        .expect("static tokens")
}
