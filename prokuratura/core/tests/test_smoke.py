def test_cast_has_one_user_per_role(cast):
    assert cast.admin.has_perm("accounts.manage_users")
    assert not cast.outsider.has_perm("core.view_offices")
    assert cast.prosecutor_astana.office.is_within(cast.head_astana.office)
