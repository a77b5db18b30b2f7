"""A Glance v2 compatible image endpoint over the local image store.

The subset clients use (openstacksdk, ``openstack image ...``, our own
Glance client in nova-compute): versions, image list/show/create/
update (JSON patch)/delete, data upload and download, tags and the image
schemas. Served as ``/image`` by nova-all and at the root by the
nova-image-api daemon; both through the pipelines of ``api-paste.ini``.

Modules: ``routes`` (the route table), ``wsgi`` (dispatch, errors, Paste
factories), ``images`` and ``data`` (the handlers), ``patch`` (JSON
patch), ``schemas`` (the schema documents and body validation),
``views`` (the image document), ``versions``.
"""
