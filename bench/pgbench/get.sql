-- GET /v1/activities/{id}: the SELECT the service issues (ActivityRepository.find).
\set id random(:min_id, :max_id)
SELECT activities.id, activities.uid, activities.account_id, activities.type, activities.status, activities.activity_timestamp, activities.duration, activities.location, activities.participants, activities.attachment_urls, activities.title, activities.description, activities.metadata, activities.is_active, activities.created_by AS creator_id, activities.created_at, activities.updated_at, activities.deleted_at, accounts.name AS account, users.name AS creator, users.email AS creator_email
FROM activities JOIN accounts ON accounts.organization_id = activities.organization_id AND accounts.id = activities.account_id JOIN users ON users.id = activities.created_by
WHERE activities.organization_id = :org_id AND activities.id = :id AND activities.deleted_at IS NULL;
