-- Bench data for one organization, straight in SQL (psql variables: org_id, user_id,
-- accounts, activities). Bench rows carry uids 'X' + 25 digits: unique, 26 characters, and
-- never a ULID (a ULID starts with 0-7), so rows the service or pgbench create are told apart.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';

INSERT INTO accounts (uid, organization_id, name, primary_domain, industry, description,
                      website, metadata, created_by, last_activity_at, created_at, updated_at)
SELECT 'X' || lpad(g::text, 25, '0'),
       :org_id,
       (ARRAY['Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Acme', 'Soylent'])
           [1 + g % 8] || ' ' || g,
       'account-' || g || '.example.com',
       (ARRAY['Software', 'Retail', 'Finance', 'Health', 'Logistics'])[1 + g % 5],
       CASE WHEN g % 3 = 0 THEN 'Key account in the ' || g % 50 || ' region.' END,
       'https://account-' || g || '.example.com',
       '{}'::jsonb,
       :user_id,
       timestamptz '0001-01-01 00:00:00+00',
       now() - interval '3 years',
       now() - interval '3 years'
FROM generate_series(1, :accounts) AS g;

-- GIN indexes (search, tags, participants) are built once after the load rather than row by
-- row during it: the same definitions, taken from the catalog, so they stay the migrations'.
CREATE TEMP TABLE bench_gin_indexes AS
    SELECT indexname, indexdef FROM pg_indexes
    WHERE tablename = 'activities' AND indexdef LIKE '%USING gin%';
DO $$
DECLARE found record;
BEGIN
    FOR found IN SELECT indexname FROM bench_gin_indexes LOOP
        EXECUTE format('DROP INDEX %I', found.indexname);
    END LOOP;
END $$;

-- Activities in time order (ids grow with activity_timestamp, as appended data does), spread
-- evenly over the last two years with a little jitter, each for a random account. Each title
-- ends in one of 32 colours and one of 32 animals, so a search for a colour and an animal
-- ("amber falcon") matches 1 row in 1,024: about 0.1 %.
INSERT INTO activities (uid, organization_id, account_id, created_by, owner_id, type, status,
                        activity_timestamp, duration, location, participants, attachment_urls,
                        title, description, metadata, search_text, created_at, updated_at)
SELECT 'X' || lpad(s.g::text, 25, '0'),
       :org_id,
       s.first_account + floor(random() * :accounts)::bigint,
       :user_id,
       :user_id,
       (ARRAY['CALL', 'EMAIL', 'MEETING', 'CHAT', 'SITE_VISIT', 'REVIEW', 'PRESENTATION',
              'TRAINING'])[1 + floor(random() * 8)::int],
       (ARRAY['COMPLETED', 'COMPLETED', 'COMPLETED', 'PENDING', 'CANCELLED'])
           [1 + floor(random() * 5)::int],
       s.at,
       floor(random() * 121)::int,
       s.location,
       '[]'::jsonb,
       '{}'::text[],
       s.title,
       s.description,
       '{}'::jsonb,
       -- The words core/full_text.py would keep (the bench's text is plain ASCII).
       trim(regexp_replace(lower(s.title || ' ' || coalesce(s.description, '') || ' '
                                 || s.location), '[^a-z0-9]+', ' ', 'g')),
       s.at + interval '5 minutes',
       s.at + interval '5 minutes'
FROM (
    SELECT g,
           at,
           first_account,
           (ARRAY['Discovery call', 'Quarterly business review', 'Renewal negotiation',
                  'Onboarding session', 'Support follow-up', 'Product demo'])
               [1 + floor(random() * 6)::int] || ' #' || g || ' '
               || (ARRAY['amber', 'azure', 'beige', 'black', 'blue', 'bronze', 'brown',
                         'coral', 'crimson', 'cyan', 'gold', 'gray', 'green', 'indigo',
                         'ivory', 'jade', 'khaki', 'lemon', 'lilac', 'lime', 'magenta',
                         'maroon', 'navy', 'olive', 'orange', 'peach', 'pink', 'plum',
                         'purple', 'red', 'silver', 'teal'])[1 + g % 32] || ' '
               || (ARRAY['badger', 'bison', 'camel', 'cobra', 'crane', 'dingo', 'eagle',
                         'falcon', 'ferret', 'gecko', 'heron', 'hyena', 'ibis', 'jackal',
                         'koala', 'lemur', 'llama', 'lynx', 'marmot', 'moose', 'newt',
                         'okapi', 'otter', 'panda', 'puffin', 'quail', 'raven', 'seal',
                         'tapir', 'toucan', 'walrus', 'zebra'])[1 + (g / 32) % 32] AS title,
           CASE WHEN random() < 0.5
                THEN 'Discussed the roadmap, open tickets and next steps; follow-up agreed.'
           END AS description,
           (ARRAY['Zoom', 'Google Meet', 'Phone', 'HQ, room 4.12', 'Customer site'])
               [1 + floor(random() * 5)::int] AS location
    FROM (
        SELECT g,
               now() - interval '730 days'
                   + g * (interval '730 days' / :activities)
                   + random() * interval '1 minute' AS at,
               (SELECT min(id) FROM accounts WHERE organization_id = :org_id) AS first_account
        FROM generate_series(1, :activities) AS g
    ) AS timed
) AS s;

DO $$
DECLARE found record;
BEGIN
    FOR found IN SELECT indexdef FROM bench_gin_indexes LOOP
        EXECUTE found.indexdef;
    END LOOP;
END $$;

-- The accounts' engagement figures, as the service keeps them (core/engagement.py): only live
-- ORGANIZATION activities count and CANCELLED ones never do.
UPDATE accounts AS a
SET last_activity_at = coalesce(f.last_at, timestamptz '0001-01-01 00:00:00+00'),
    next_activity_at = f.next_at,
    open_activities = f.open_count,
    engagement_changes_at = f.changes_at
FROM (
    SELECT account_id,
           max(activity_timestamp) FILTER (WHERE status <> 'CANCELLED'
                                           AND activity_timestamp <= now()) AS last_at,
           min(activity_timestamp) FILTER (WHERE status = 'PENDING'
                                           AND activity_timestamp > now()) AS next_at,
           count(*) FILTER (WHERE status = 'PENDING') AS open_count,
           min(activity_timestamp) FILTER (WHERE status <> 'CANCELLED'
                                           AND activity_timestamp > now()) AS changes_at
    FROM activities
    WHERE organization_id = :org_id AND deleted_at IS NULL AND visibility = 'ORGANIZATION'
    GROUP BY account_id
) AS f
WHERE a.organization_id = :org_id AND a.id = f.account_id;
