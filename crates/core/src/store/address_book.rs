//! The WhatsApp Business app's address book (`smb_app_state_sync`, migration
//! 0019): the names the business gave its contacts on the phone.

use super::Writer;
use crate::error::Result;
use crate::inbox::ConversationId;
use rusqlite::params;

impl Writer<'_> {
    /// Records (`Some`) or forgets (`None`) the address-book name of
    /// `customer` (E.164 with `+`). Returns the customer's conversations,
    /// whose names may have changed.
    pub(crate) fn set_address_book_name(
        &self,
        customer: &str,
        name: Option<&str>,
        at: Option<i64>,
        seq: u64,
    ) -> Result<Vec<ConversationId>> {
        match name {
            Some(name) => self
                .prepared(
                    "INSERT INTO business_app_contacts (customer, name, at, seq)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (customer) DO UPDATE
                     SET name = excluded.name, at = excluded.at, seq = excluded.seq
                     WHERE excluded.seq >= business_app_contacts.seq",
                )?
                .execute(params![
                    customer,
                    name,
                    at,
                    i64::try_from(seq).unwrap_or(i64::MAX)
                ])?,
            None => self
                .prepared("DELETE FROM business_app_contacts WHERE customer = ?1 AND seq <= ?2")?
                .execute(params![customer, i64::try_from(seq).unwrap_or(i64::MAX)])?,
        };
        let mut stmt = self.prepared(
            "SELECT cv.id FROM conversations cv JOIN contacts c ON c.id = cv.contact_id
             WHERE c.phone_e164 = ?1",
        )?;
        let ids = stmt
            .query_map([customer], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}
