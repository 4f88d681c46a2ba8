"""Demo knowledge base: categories, 24 articles in Chinese and English, five
call scripts, and the editor and reviewer who look after them.

Called by :mod:`callcenter.demo` once the company and staff exist.
"""
import datetime as dt

# login, name, group of callcenter_kb; the password is "<login>-demo".
USERS = (
    ('kbeditor', "赵敏 Zhao Min", 'group_kb_editor'),
    ('kbreviewer', "孙磊 Sun Lei", 'group_kb_reviewer'),
    )

CATEGORIES = {
    'after_sales': "售后服务 After-sales",
    'billing': "账单与发票 Billing",
    'delivery': "配送 Delivery",
    'products': "产品 Products",
    'support': "support",
    }

# (category, title, code, keywords, body)
ARTICLES = [
    ('after_sales', "退货政策", 'KB-RET-1', "退货 退款 七天无理由",
        "<p>签收后七天内可无理由<b>退货</b>，商品须保持完好，请保留发票。"
        "退款在收到退货后三个工作日内原路退回。</p>"),
    ('after_sales', "Return policy", 'KB-RET-2', "return refund",
        "<p>Customers may <b>return</b> goods within 7 days of delivery "
        "without giving a reason. The refund goes back to the original "
        "payment within 3 working days of receiving the return.</p>"),
    ('after_sales', "换货流程", 'KB-EXC-1', "换货 尺码 颜色",
        "<p>换货须在签收后十五天内申请，客服登记订单号后安排上门取件。</p>"),
    ('after_sales', "Exchanging an item", 'KB-EXC-2', "exchange size colour",
        "<p>Exchanges are accepted within 15 days. Take the order number; "
        "a courier collects the item at no cost.</p>"),
    ('after_sales', "保修条款", 'KB-WAR-1', "保修 质保 维修",
        "<p>电子产品整机保修一年，主要部件保修三年。人为损坏不在保修范围内。</p>"),
    ('after_sales', "Warranty terms", 'KB-WAR-2', "warranty repair",
        "<p>Electronics carry a one-year warranty on the whole unit and "
        "three years on main parts. Accidental damage is not covered.</p>"),
    ('after_sales', "维修网点查询", 'KB-WAR-3', "维修 网点 地址",
        "<p>请在官网输入城市名称查询最近的授权维修网点。</p>"),
    ('billing', "开具发票", 'KB-INV-1', "发票 增值税 开票",
        "<p>订单完成后可申请开具增值税普通发票或专用发票，"
        "专用发票需提供税号、开户行和账号。</p>"),
    ('billing', "Requesting an invoice", 'KB-INV-2', "invoice VAT fapiao",
        "<p>Once the order is complete the customer may ask for a VAT "
        "invoice (fapiao). A special VAT invoice needs the tax number and "
        "bank details.</p>"),
    ('billing', "发票抬头修改", 'KB-INV-3', "发票 抬头 修改",
        "<p>发票开具后三十天内可申请修改抬头，原发票须寄回。</p>"),
    ('billing', "支付方式", 'KB-PAY-1', "支付 付款 微信 支付宝",
        "<p>支持微信支付、支付宝、银联卡和货到付款。</p>"),
    ('billing', "Payment methods", 'KB-PAY-2', "payment card",
        "<p>We accept WeChat Pay, Alipay, UnionPay cards and cash on "
        "delivery.</p>"),
    ('billing', "退款到账时间", 'KB-PAY-3', "退款 到账",
        "<p>微信和支付宝退款一般一个工作日到账，银行卡三到七个工作日。</p>"),
    ('delivery', "配送时间", 'KB-DEL-1', "配送 送货 时效",
        "<p>一线城市下单后次日送达，其他城市二到四天送达，偏远地区五到七天。</p>"),
    ('delivery', "Delivery times", 'KB-DEL-2', "delivery shipping times",
        "<p>Next-day delivery in first-tier cities, 2 to 4 days elsewhere "
        "and 5 to 7 days in remote areas.</p>"),
    ('delivery', "修改收货地址", 'KB-DEL-3', "地址 修改 收货",
        "<p>订单发货前可修改收货地址；发货后请联系快递公司转寄。</p>"),
    ('delivery', "Tracking a parcel", 'KB-DEL-4', "tracking parcel courier",
        "<p>The tracking number is in the shipping SMS; the courier's site "
        "shows where the parcel is.</p>"),
    ('delivery', "包裹丢失或破损", 'KB-DEL-5', "丢失 破损 理赔",
        "<p>签收时发现破损请拒收并拍照，丢件由我们向快递公司索赔后补发。</p>"),
    ('products', "会员等级说明", 'KB-MEM-1', "会员 积分 等级",
        "<p>会员分为普通、银卡、金卡三级，按年度消费金额自动升级。</p>"),
    ('products', "Loyalty points", 'KB-MEM-2', "points loyalty member",
        "<p>Every yuan spent earns one point; 100 points are worth 1 yuan "
        "off the next order.</p>"),
    ('products', "新品上市：智能音箱", 'KB-NEW-1', "新品 音箱 智能",
        "<p>智能音箱支持普通话和粤语语音控制，首发期间赠送一年会员。</p>"),
    ('products', "Opening hours of the hotline", 'KB-HRS-1',
        "hours hotline opening",
        "<p>The hotline answers from 8:00 to 22:00 every day, holidays "
        "included.</p>"),
    ('products', "客服热线服务时间", 'KB-HRS-2', "服务时间 热线",
        "<p>客服热线每天8:00至22:00服务，节假日不休。</p>"),
    ('products', "Product recall notice 2019", 'KB-OLD-1', "recall",
        "<p>This recall ended long ago.</p>"),
    ]
# The old recall notice shows expiry: it stays in the base, hidden.
EXPIRED = {'KB-OLD-1'}

SCRIPTS = [
    ('support', "开场白 Greeting", 1,
        "您好，华信客服中心，工号1001为您服务，请问有什么可以帮您？\n"
        "Hello, Huaxin Contact Center, how may I help you?"),
    ('support', "核实身份 Identity check", 2,
        "为了保护您的账户安全，请提供下单手机号的后四位。\n"
        "To protect your account, may I have the last four digits of the "
        "phone number on the order?"),
    ('after_sales', "退货受理 Taking a return", 3,
        "请您提供订单号，我为您登记退货，快递员会在一到两天内上门取件。"),
    ('billing', "发票咨询 Invoice request", 4,
        "请问您需要普通发票还是专用发票？专用发票需要提供税号。"),
    ('support', "结束语 Closing", 5,
        "感谢您的来电，请您稍后对本次服务进行评价，再见！\n"
        "Thank you for calling; please rate this call after the tone."),
    ]


def load(pool, company):
    "Create the demo knowledge base and its staff."
    create_users(pool, company)
    categories = create_categories(pool)
    create_articles(pool, categories, dt.date.today())
    create_scripts(pool, categories)


def create_users(pool, company):
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    return User.create([{
                'login': login, 'name': name, 'password': f'{login}-demo',
                'groups': [('add', [
                            ModelData.get_id('callcenter_kb', group)])],
                'companies': [('add', [company.id])],
                'company': company.id}
            for login, name, group in USERS])


def create_categories(pool):
    Category = pool.get('callcenter.kb.category')
    records = Category.create([{'name': name, 'code': code}
            for code, name in CATEGORIES.items()])
    return {c.code: c for c in records}


def create_articles(pool, categories, today):
    Article = pool.get('callcenter.kb.article')
    articles = Article.create([{
                'title': title, 'code': code, 'keywords': keywords,
                'body': body,
                'categories': [('add', [categories[category].id])],
                **({'publish_date': today - dt.timedelta(days=400),
                        'expiry_date': today - dt.timedelta(days=30)}
                    if code in EXPIRED else {}),
                }
            for category, title, code, keywords, body in ARTICLES])
    Article.write(articles, {'state': 'published'})
    return articles


def create_scripts(pool, categories):
    Script = pool.get('callcenter.kb.script')
    return Script.create([{
                'title': title, 'sequence': sequence, 'content': content,
                'categories': [('add', [categories[category].id])]}
            for category, title, sequence, content in SCRIPTS])
