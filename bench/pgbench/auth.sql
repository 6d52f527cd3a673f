-- The authentication query every /v1 request runs first (auth.repository.find_key_and_member).
SELECT api_keys.id, api_keys.organization_id, api_keys.expires_at, api_keys.last_used_at, users.id AS id_1, users.name, users.email, users.is_active, memberships.role
FROM api_keys LEFT OUTER JOIN users ON users.id = :user_id LEFT OUTER JOIN memberships ON memberships.organization_id = :org_id AND memberships.user_id = users.id
WHERE api_keys.key_hash = :key_hash AND api_keys.organization_id = :org_id AND api_keys.revoked_at IS NULL;
