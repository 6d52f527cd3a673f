-- POST /v1/activities, second statement: the change-history row of the create
-- (history.repository; resource_id is the new activity's id, here a random one).
\set resource random(:min_id, :max_id)
INSERT INTO change_history (organization_id, resource_type, resource_id, action, changed_at, user_id, api_key_id, changes) VALUES (:org_id, 'activity', :resource, 'create', now(), :user_id, :key_id, 'null'::jsonb) RETURNING change_history.id;
