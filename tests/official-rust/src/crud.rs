//! The round every writable service goes through.

/// Runs the whole round on one service: three objects made (`$i` is 0, 1,
/// 2), the first fetched, updated (`$id` is its ID; `$u` the answer must
/// pass `$check`, and so must a fresh get), all three listed one to a page
/// (`$paging` names the paging type, `$items` the list's field), deleted,
/// and the first then missing.
macro_rules! crud {
    ($c:expr, $paging:ident, $items:ident, |$i:ident| $create:expr, |$id:ident| $update:expr, |$u:ident| $check:expr) => {{
        let c = $c;
        let mut ids = Vec::new();
        for $i in 0..3usize {
            ids.push(c.create(&$create).await.map_err(crate::why("create"))?.id);
        }
        let first = ids[0].clone();
        crate::ensure(c.get(&first).await.map_err(crate::why("get"))?.id == first, "get: another object came back")?;
        let $id = first.clone();
        let $u = c.update(&$update).await.map_err(crate::why("update"))?;
        crate::ensure($check, "update: the change is not in the answer")?;
        let $u = c.get(&first).await.map_err(crate::why("get after update"))?;
        crate::ensure($check, "update: the change did not last")?;
        let paging = ngrok_api::types::$paging { limit: Some("1".to_string()), ..Default::default() };
        let pages = c.list(paging).pages().await;
        crate::listed_all(&ids, crate::walk(pages, |p| p.$items.into_iter().map(|x| x.id).collect()).await?)?;
        for id in &ids {
            c.delete(id).await.map_err(crate::why("delete"))?;
        }
        crate::ensure(crate::is_missing(&c.get(&first).await), "get after delete: the object is still there")?;
        Ok(())
    }};
}

