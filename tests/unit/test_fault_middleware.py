"""FaultWrapper: library middleware's error pages become Compute faults."""

import json

import webob

from nova.api.middleware import fault


def _wrapped(response: webob.Response) -> webob.Response:
    app = fault.FaultWrapper(lambda environ, start: response(environ, start))
    return webob.Request.blank('/v2.1/flavors').get_response(app)


def test_keystonemiddleware_401_becomes_unauthorized_fault():
    # What keystonemiddleware's authtoken answers for a missing token.
    page = webob.Response(status=401, content_type='application/json')
    page.text = json.dumps({'error': {
        'code': 401, 'title': 'Unauthorized',
        'message': 'The request you have made requires authentication.'}})
    page.headers['WWW-Authenticate'] = "Keystone uri='http://ks/'"
    resp = _wrapped(page)
    assert resp.status_int == 401
    assert resp.json == {'unauthorized': {
        'code': 401,
        'message': 'The request you have made requires authentication.'}}
    assert resp.headers['WWW-Authenticate'] == "Keystone uri='http://ks/'"


def test_plain_text_error_becomes_fault():
    resp = _wrapped(webob.Response(status=413, body=b'Request is too large.',
                                   content_type='text/plain'))
    assert resp.status_int == 413
    assert list(resp.json) == ['overLimit']


def test_compute_fault_passes_through_unchanged():
    page = webob.Response(status=404, content_type='application/json')
    page.text = json.dumps({'itemNotFound': {'code': 404,
                                             'message': 'No such flavor.'}})
    resp = _wrapped(page)
    assert resp.json == {'itemNotFound': {'code': 404,
                                          'message': 'No such flavor.'}}
