-- GET /v1/accounts/{id}/activities?limit=50: the keyset page-1 SELECT (ActivityRepository.list_page),
-- as the organization's owner reads it.
\set account random(:account_min, :account_max)
SELECT activities.id, activities.uid, activities.account_id, activities.type, activities.status, activities.activity_timestamp, activities.duration, activities.location, activities.participants, activities.attachment_urls, activities.title, activities.description, activities.metadata, activities.is_active, activities.created_by AS creator_id, activities.owner_id, activities.visibility, activities.outcome, activities.remind_at, activities.follow_up_of_id, activities.completed_at, activities.tags, activities.created_at, activities.updated_at, activities.deleted_at, accounts.name AS account, users.name AS creator, users.email AS creator_email, owners.name AS owner, owners.email AS owner_email
FROM activities JOIN accounts ON accounts.organization_id = activities.organization_id AND accounts.id = activities.account_id JOIN users ON users.id = activities.created_by JOIN users AS owners ON owners.id = activities.owner_id
WHERE activities.organization_id = :org_id AND activities.deleted_at IS NULL AND activities.account_id = :account ORDER BY activities.activity_timestamp DESC, activities.id DESC
LIMIT 51;
