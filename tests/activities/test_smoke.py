from tests.factories import create_account, create_activity


class TestCreateAndRead:
    async def test_created_activity_reads_back_with_its_enrichment(self, client, tenant):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, account["id"])
        response = await client.get(f"/v1/activities/{created['uid']}", headers=tenant.headers)
        assert response.status_code == 200
        assert response.json() == created
        assert created["account"] == "Globex Corporation"
        assert created["creatorEmail"] == tenant.email
