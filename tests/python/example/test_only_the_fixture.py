"""What a user's test file looks like: nothing but the `ngrok_api_mock`
fixture and ngrok's Python client. run.sh also runs this file alone, with
no conftest.py, to show the installed plugin is all it needs."""

import ngrok


def test_create_and_list_ip_policies(ngrok_api_mock):
    client = ngrok.Client(ngrok_api_mock.api_key, base_url=ngrok_api_mock.url)
    made = client.ip_policies.create(description="office")
    assert made.id.startswith("ipp_")
    listed = [p.id for p in client.ip_policies.list()]
    assert listed == [made.id]


def test_every_test_starts_from_the_seed(ngrok_api_mock):
    # Whatever the test above created was reset away.
    client = ngrok.Client(ngrok_api_mock.api_key, base_url=ngrok_api_mock.url)
    assert list(client.ip_policies.list()) == []
    assert ngrok_api_mock.journal()[-1]["path"] == "/ip_policies"
