"""nova.cli.http alone: negotiation, fault messages, paging.

A small stand-in for the keystoneauth session answers canned responses;
everything else is the module's real code.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from nova.cli import errors
from nova.cli import http


class Response:
    def __init__(self, status: int, body: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        self.status_code = status
        self.headers = headers or {}
        self.reason = 'Reason'
        self.text = body if isinstance(body, str) else json.dumps(body)
        self.content = b'' if body is None else self.text.encode()

    def json(self) -> Any:
        return json.loads(self.text)


class Session:
    """Answers by URL (the first matching prefix); records requests."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.requests: list[tuple[str, str, dict[str, Any]]] = []

    def request(self, url: str, method: str, **kwargs: Any) -> Response:
        self.requests.append((method, url, kwargs))
        answer = self.answers[url]
        return answer(kwargs) if callable(answer) else answer

    def get_project_id(self) -> None:
        return None


ENDPOINT = 'http://api/v2.1'


def client(answers: dict[str, Any], requested: str | None = None
           ) -> tuple[http.Client, Session]:
    session = Session(answers)
    return http.Client(session, ENDPOINT, None, requested,
                       'proj'), session  # type: ignore[arg-type]


def version_doc(maximum: str) -> Response:
    return Response(200, {'version': {'id': 'v2.1', 'status': 'CURRENT',
                                      'version': maximum,
                                      'min_version': '2.1'}})


@pytest.mark.parametrize(('server_max', 'expected'), [
    ('2.60', '2.60'), ('2.100', http.CLIENT_MAX_VERSION), ('', '2.1')])
def test_default_is_the_highest_both_support(server_max: str,
                                             expected: str) -> None:
    api, _ = client({ENDPOINT: version_doc(server_max)})
    assert api.api_version == expected


def test_requested_version_is_sent_without_asking() -> None:
    api, session = client({ENDPOINT + '/flavors': Response(
        200, {'flavors': []})}, requested='2.5')
    api.compute('GET', '/flavors')
    [(_, _, kwargs)] = session.requests
    assert kwargs['microversion'] == '2.5'
    assert kwargs['microversion_service_type'] == 'compute'


@pytest.mark.parametrize('requested', ['9.1', '2.999', 'two'])
def test_unusable_requested_version(requested: str) -> None:
    api, _ = client({}, requested=requested)
    with pytest.raises(errors.CommandError, match='microversion'):
        api.api_version  # noqa: B018


def test_compute_fault_with_request_id() -> None:
    api, _ = client({ENDPOINT + '/servers/x': Response(
        404, {'itemNotFound': {'code': 404, 'message': 'No x.'}},
        {'x-openstack-request-id': 'req-1'})}, requested='2.1')
    with pytest.raises(errors.ApiError) as caught:
        api.compute('GET', '/servers/x')
    assert str(caught.value) == (
        'ERROR (NotFound): No x. (HTTP 404) (Request-ID: req-1)')


@pytest.mark.parametrize(('body', 'message'), [
    ({'error': {'message': 'Bad image.', 'code': 400}}, 'Bad image.'),
    ('<html>400 Bad Request</html>\nmore', '<html>400 Bad Request</html>'),
])
def test_other_error_bodies(body: Any, message: str) -> None:
    api, _ = client({ENDPOINT + '/x': Response(400, body)}, requested='2.1')
    with pytest.raises(errors.ApiError) as caught:
        api.compute('GET', '/x')
    assert caught.value.message == message
    assert caught.value.request_id is None


def test_pages_follow_next_links_until_there_are_none() -> None:
    pages = {None: (['a', 'b'], 'b'), 'b': (['c', 'd'], 'd'),
             'd': (['e'], None)}

    def page(kwargs: dict[str, Any]) -> Response:
        items, marker = pages[(kwargs.get('params') or {}).get('marker')]
        body: dict[str, Any] = {'servers': [{'id': i} for i in items]}
        if marker:
            body['servers_links'] = [{'rel': 'next', 'href':
                                      f'{ENDPOINT}/servers?marker={marker}'}]
        return Response(200, body)

    api, _ = client({ENDPOINT + '/servers': page}, requested='2.1')
    ids = [s['id'] for s in api.compute_pages('/servers', 'servers')]
    assert ids == ['a', 'b', 'c', 'd', 'e']


def test_a_repeated_marker_ends_paging() -> None:
    body = {'servers': [{'id': 'a'}], 'servers_links': [
        {'rel': 'next', 'href': f'{ENDPOINT}/servers?marker=a'}]}
    api, session = client({ENDPOINT + '/servers': Response(200, body)},
                          requested='2.1')
    assert len(list(api.compute_pages('/servers', 'servers'))) == 2
    assert len(session.requests) == 2


def test_redirect_answer_is_an_error() -> None:
    api, _ = client({'http://img/v2/images': Response(300, {'versions': []})})
    api.image_endpoint = 'http://img'
    with pytest.raises(errors.ApiError, match='not served'):
        api.image('GET', '/v2/images')
