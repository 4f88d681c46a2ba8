"""The knowledge base as an agent uses it during a call, in headless Chromium."""
import pytest

from callcenter import tryton

from webclient import open_menu, open_row

pytestmark = pytest.mark.browser

TOP = "退货政策 Return policy"
OTHER = "须知 Service notes"


def publish_articles(pool):
    "Two published articles: one about returns, one mentioning them."
    Article = pool.get('callcenter.kb.article')
    articles = Article.create([
            {'title': TOP, 'code': 'KB-RET-1',
                'body': "<p>七天无理由<b>退货</b>，请保留发票。</p>"},
            {'title': OTHER,
                'body': "<p>营业时间内可以办理退货。</p>"},
            ])
    Article.write(articles, {'state': 'published'})


def test_agent_searches_opens_and_favorites(suite, login, page):
    "An agent searches in Chinese, opens the top article and favorites it"
    tryton.call(suite.config, suite.db_name, publish_articles)
    login('agent1', 'agent1-demo')
    open_menu(page, 'Call Center', 'Knowledge Base', 'Search Knowledge Base')

    dialog = page.locator('.modal-dialog:visible').last
    query = dialog.locator('input[type=text]').first
    query.fill('退货')
    query.press('Tab')
    rows = dialog.locator('tbody tr')
    rows.filter(has_text=TOP).wait_for()
    # The demo's own 退货政策 article may rank between the two.
    titles = rows.all_inner_texts()
    ranked = [i for i, t in enumerate(titles) if TOP in t or OTHER in t]
    assert [OTHER in titles[i] for i in ranked] == [False, True]
    assert TOP.split()[0] in titles[0]
    dialog.get_by_role('button', name='Open').click()

    tab = page.locator('#tabs .tab-pane.active')
    open_row(tab, TOP, 'title')
    tab.get_by_role('button', name='Add to Favorites').click()
    tab.get_by_role('button', name='Remove from Favorites').wait_for()

    open_menu(page, 'My Favorites')
    favorites = page.locator('#tabs .tab-pane.active')
    favorites.locator('tbody tr', has_text=TOP).wait_for()
    assert favorites.locator('tbody tr', has_text=OTHER).count() == 0
