//! The i18n layer: every user-visible string is a [`Msg`] with a zh-CN and an English text.
//!
//! zh-CN is the default. The locale is part of the URL (`/en/...` for English) so a public
//! page's HTML depends on its URL alone and can be cached at the edge.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// The value of the `lang` attribute.
    pub fn lang(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// The URL prefix of this locale's pages ("" for zh-CN, "/en" for English).
    pub fn prefix(self) -> &'static str {
        match self {
            Locale::ZhCn => "",
            Locale::En => "/en",
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    /// A site path in this locale: `href("/login")` is `/en/login` in English.
    pub fn href(self, path: &str) -> String {
        match (self, path) {
            (Locale::ZhCn, _) => path.to_string(),
            (Locale::En, "/") => "/en".to_string(),
            (Locale::En, p) => format!("/en{p}"),
        }
    }

    /// Splits a request path into its locale and the locale-free path.
    pub fn from_path(path: &str) -> (Locale, &str) {
        match path.strip_prefix("/en") {
            Some("") => (Locale::En, "/"),
            Some(rest) if rest.starts_with('/') => (Locale::En, rest),
            _ => (Locale::ZhCn, path),
        }
    }

    /// Picks a locale from an `Accept-Language` header (JSON API error messages).
    pub fn from_accept_language(header: &str) -> Locale {
        let first = header
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("en") {
            Locale::En
        } else {
            Locale::ZhCn
        }
    }

    #[cfg_attr(feature = "hydrate", inline(always))]
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }

    /// `msg` with each `{name}` replaced by its value, in one pass over the text.
    pub fn fill(self, msg: Msg, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        let text = self.t(msg);
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}').and_then(|close| {
                let name = &after[..close];
                values
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (close, *v))
            }) {
                Some((close, value)) => {
                    use std::fmt::Write;
                    let _ = write!(out, "{value}");
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// Every user-visible message, checked at compile time.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        /// Each message's zh-CN text, in [`Msg`] order.
        static ZH_CN: &[&str] = &[$($zh),*];
        /// Each message's English text, in [`Msg`] order.
        static EN: &[&str] = &[$($en),*];

        impl Msg {
            // Inlined into the wasm modules: a constant message folds to its two strings, and
            // the linker drops the tables when no island looks a message up at run time.
            #[cfg_attr(feature = "hydrate", inline(always))]
            pub fn text(self, locale: Locale) -> &'static str {
                match locale {
                    Locale::ZhCn => ZH_CN[self as usize],
                    Locale::En => EN[self as usize],
                }
            }
        }
    };
}

messages! {
    SiteName => "政府采购电子卖场", "Government e-Procurement Mall";
    SiteShort => "电子卖场", "e-Mall";
    Bureau => "财政局政府采购管理", "Finance Bureau · Government Procurement";
    SkipToContent => "跳到主要内容", "Skip to main content";
    SearchPlaceholder => "搜索商品、品牌、型号，如 A4 复印纸、M227fdw", "Search products, brands, models, e.g. A4 paper, M227fdw";
    SearchButton => "搜索", "Search";
    SearchLabel => "商品搜索", "Product search";
    City => "城市", "City";
    ChangeCity => "切换", "Switch";
    SignIn => "登录", "Sign in";
    SignOut => "退出", "Sign out";
    SignedInAs => "当前用户", "Signed in as";
    MyHome => "我的工作台", "My workspace";
    Language => "English", "中文";
    LanguageLabel => "Switch to English", "切换到中文";
    Loading => "加载中…", "Loading…";
    // footer
    FooterAbout => "本卖场服务于预算单位小额零星采购，执行同城同质同价。", "Small, recurring purchases for budget units, one price per product per city.";
    FooterHotline => "服务热线 12345", "Hotline 12345";
    FooterIcp => "主办：市财政局", "Run by the municipal finance bureau";
    // storefront
    HeroTitle => "一站式小额零星采购", "One-stop small-value procurement";
    HeroText => "全网比价，一键下单，按预算指标结算，全程留痕可追溯。", "Compare every supplier's price, order in one click against a budget line, with a full audit trail.";
    Categories => "商品分类", "Categories";
    FeaturedProducts => "热门标准商品", "Popular standard products";
    FromPrice => "起", "from";
    OffersCount => "家供应商报价", "supplier offers";
    NoOffers => "本市暂无报价", "No offers in this city";
    ReferencePrice => "市场参考价", "Reference price";
    StatsProducts => "标准商品", "Standard products";
    StatsSuppliers => "入驻供应商", "Admitted suppliers";
    StatsUnits => "预算单位", "Purchasing units";
    StatsOffers => "在售报价", "Live offers";
    PolicyEnergy => "节能产品", "Energy-saving";
    PolicyEnvironment => "环境标志产品", "Environmental label";
    PolicyPoverty => "脱贫地区农副产品", "Poverty-area produce";
    PolicySme => "中小企业制造", "Made by SMEs";
    // login
    LoginTitle => "用户登录", "Sign in";
    LoginIntro => "采购人、供应商、运营方和财政监管人员使用统一账号登录。", "Buyers, suppliers, operators and regulators sign in with one account.";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    LoginButton => "登录", "Sign in";
    LoginFailed => "用户名或密码错误。", "Wrong username or password.";
    LoginThrottled => "登录失败次数过多，请稍后再试。", "Too many failed attempts; try again later.";
    LoginRequired => "请先登录。", "Please sign in first.";
    DemoAccounts => "演示账号（密码 Demo@2026）", "Demo accounts (password Demo@2026)";
    // roles
    RoleBuyer => "采购经办人", "Buyer";
    RoleApprover => "采购审批人", "Approver";
    RoleSupplier => "供应商", "Supplier";
    RoleOperator => "卖场运营", "Mall operator";
    RoleRegulator => "财政监管", "Regulator";
    // buyer home
    BuyerHomeTitle => "采购人工作台", "Buyer workspace";
    BudgetLines => "预算指标", "Budget lines";
    BudgetCode => "指标编码", "Code";
    FiscalYear => "年度", "Year";
    FundingSource => "资金性质", "Funding source";
    Purpose => "用途", "Purpose";
    Amount => "指标金额", "Amount";
    Frozen => "已冻结", "Frozen";
    Spent => "已支付", "Spent";
    Available => "可用余额", "Available";
    RecentOrders => "近期订单", "Recent orders";
    OrderNo => "订单号", "Order no.";
    OrderDate => "下单日期", "Date";
    Supplier => "供应商", "Supplier";
    Status => "状态", "Status";
    Total => "金额", "Total";
    NoOrders => "暂无订单", "No orders yet";
    GoShopping => "去选购商品", "Browse the catalogue";
    // supplier home
    SupplierHomeTitle => "供应商工作台", "Supplier workbench";
    MyOffers => "我的报价", "My offers";
    Product => "商品", "Product";
    Price => "价格", "Price";
    Stock => "库存", "Stock";
    DeliveryDays => "承诺送达", "Delivery";
    Days => "天", "days";
    IncomingOrders => "待处理订单", "Orders to handle";
    AdmissionStatus => "入驻状态", "Admission status";
    Buyer => "采购单位", "Buyer";
    // console
    ConsoleTitle => "监管与运营控制台", "Supervision and operations console";
    OperatorConsoleTitle => "卖场运营控制台", "Mall operations console";
    RegulatorConsoleTitle => "财政监管控制台", "Finance supervision console";
    SmeShare => "中小企业合同占比", "SME share of contract value";
    SupplierQueue => "待审核供应商", "Suppliers awaiting admission";
    MonthlySpend => "月度成交额", "Monthly spend";
    DashFrom => "起始月份", "From";
    DashTo => "截止月份", "To";
    DashAllCities => "全部城市", "All cities";
    DashDistrict => "区县", "District";
    DashAllDistricts => "全部区县", "All districts";
    DashCategory => "品目", "Category";
    DashUnit => "预算单位", "Purchasing unit";
    DashAllUnits => "全部预算单位", "All purchasing units";
    DashReset => "重置", "Reset";
    DashSpend => "成交金额", "Contract value";
    DashOrders => "订单数", "Orders";
    DashSavings => "较市场参考价节约", "Saved against reference prices";
    DashPoolSavings => "联合采购节约", "Saved by joint purchases";
    DashOnTime => "准时交付率", "On-time delivery";
    DashPassRate => "验收合格率", "Inspection pass rate";
    DashConfirmTime => "平均确认时长（小时）", "Average time to confirm (hours)";
    DashOverdue => "当前逾期未付", "Overdue and unpaid";
    DashPaidLate => "逾期支付", "Paid late";
    DashOverdueAmount => "逾期金额", "Overdue amount";
    DashTop5 => "前五供应商份额", "Top-5 supplier share";
    DashHhi => "HHI 集中度指数", "HHI concentration index";
    DashHhiHigh => "高度集中", "Highly concentrated";
    DashSuppliersActive => "成交供应商", "Suppliers with contracts";
    DashPolicy => "政策功能产品", "Policy products";
    DashByCategory => "按品目", "By category";
    DashByUnit => "按预算单位", "By purchasing unit";
    DashBySupplier => "按供应商", "By supplier";
    DashLatePayments => "预算单位付款逾期", "Late payments by purchasing unit";
    DashIndicators => "核心指标", "Key figures";
    DashAsOf => "数据截至", "Figures as of";
    DashNotYet => "尚未汇总", "not yet aggregated";
    DashShare => "占比", "Share";
    DashMonth => "月份", "Month";
    DashName => "名称", "Name";
    DashValue => "数值", "Value";
    DashSme => "中小企业", "SME";
    DashEmpty => "所选范围内没有成交。", "No contracts in this selection.";
    ErrIntentionYear => "采购意向只能填报本年度或下一年度。", "An intention is for this year or the next.";
    ErrIntentionMonth => "请选择 1 至 12 月。", "Choose a month from 1 to 12.";
    ErrIntentionCategory => "请选择品目分类目录中的品目。", "Choose a category of the procurement catalogue.";
    DisclosureTitle => "信息公开", "Public disclosure";
    DisclosureIntro => "成交结果、联合采购结果、供应商信用记录和采购意向，无需登录即可查阅；开放数据按开放合同数据标准（OCDS）提供下载。", "Transaction results, joint-purchase results, suppliers' credit records and procurement intentions, open to everyone; open data in the Open Contracting Data Standard (OCDS).";
    DisclosureResults => "成交结果公告", "Transaction results";
    DisclosureThreshold => "公告金额标准", "Disclosed from";
    DisclosurePools => "联合采购结果", "Joint-purchase results";
    DisclosureCredit => "供应商信用记录", "Suppliers' credit records";
    DisclosureIntentions => "采购意向公开", "Procurement intentions";
    OpenData => "开放数据（OCDS）", "Open data (OCDS)";
    OpenDataOrders => "成交订单", "Orders";
    OpenDataPools => "联合采购", "Joint purchases";
    ExpectedMonth => "预计采购月份", "Expected month";
    Budget => "预算金额", "Budget";
    Withdraw => "撤回", "Withdraw";
    IntentionWithdrawn => "已撤回", "Withdrawn";
    PublishIntention => "发布采购意向", "Publish an intention";
    IntentionTitle => "采购项目名称", "What is to be bought";
    IntentionDescription => "采购需求概况", "Requirements";
    Year => "年度", "Year";
    Month => "月份", "Month";
    Pooled => "联合采购价", "Pool price";
    MyIntentions => "本单位采购意向", "Our procurement intentions";
    DashShownTop => "显示前 15 名，导出文件含全部。", "The top 15 are shown; the export has them all.";
    // order statuses
    StatusPendingApproval => "待审批", "Awaiting approval";
    StatusPlaced => "已下单", "Placed";
    StatusConfirmed => "已确认", "Confirmed";
    StatusShipped => "已发货", "Shipped";
    StatusDelivered => "已送达", "Delivered";
    StatusAccepted => "已验收", "Accepted";
    StatusRejected => "验收不通过", "Rejected";
    StatusInvoiced => "已开票", "Invoiced";
    StatusPaid => "已支付", "Paid";
    StatusCancelled => "已取消", "Cancelled";
    // supplier statuses and sizes
    SupplierPending => "待审核", "Pending";
    SupplierAdmitted => "已入驻", "Admitted";
    SupplierSuspended => "已暂停", "Suspended";
    SupplierRevoked => "已清退", "Revoked";
    EnterpriseSize => "企业规模", "Enterprise size";
    SizeLarge => "大型企业", "Large";
    SizeMedium => "中型企业", "Medium";
    SizeSmall => "小型企业", "Small";
    SizeMicro => "微型企业", "Micro";
    // funding sources
    FundGeneral => "一般公共预算", "General budget";
    FundFund => "政府性基金", "Government fund";
    FundStateCapital => "国有资本经营预算", "State capital budget";
    FundOwn => "单位自有资金", "Own funds";
    FundSpecial => "专项资金", "Special funds";
    // errors
    ErrNotFound => "页面不存在。", "Page not found.";
    ErrNotFoundHint => "请检查网址，或返回首页。", "Check the address or go back home.";
    ErrForbidden => "没有权限访问。", "You are not allowed to do this.";
    ErrUnauthorized => "请先登录。", "Please sign in.";
    ErrInvalid => "提交的内容有误。", "Some of what you sent is not valid.";
    ErrCsrf => "请求来源校验失败，请刷新页面后重试。", "Request origin check failed; reload the page and try again.";
    ErrInternal => "服务器内部错误，请稍后再试。", "Internal error; please try again later.";
    ErrConflict => "与现有数据冲突。", "Conflicts with existing data.";
    ErrRequired => "必填。", "Required.";
    BackHome => "返回首页", "Back to home";
    // search
    SearchTitle => "商品搜索", "Search";
    SearchResultsFor => "搜索结果", "Results";
    ResultsCount => "个标准商品", "standard products";
    QueryTime => "耗时", "in";
    AllCategories => "全部分类", "All categories";
    Brand => "品牌", "Brand";
    SupplierSize => "供应商规模", "Supplier size";
    PolicyTags => "政策功能", "Policy";
    PriceRange => "价格区间（元）", "Price (yuan)";
    PriceMin => "最低价", "Min";
    PriceMax => "最高价", "Max";
    InStockOnly => "仅看有货", "In stock only";
    Apply => "筛选", "Apply";
    ClearFilters => "清除筛选", "Clear filters";
    SortBy => "排序", "Sort";
    SortRelevance => "综合", "Relevance";
    SortPriceAsc => "价格从低到高", "Price: low to high";
    SortPriceDesc => "价格从高到低", "Price: high to low";
    SortDelivery => "送达最快", "Fastest delivery";
    SortScore => "履约评分", "Supplier score";
    NoResults => "没有找到符合条件的商品。请尝试更换关键词或减少筛选条件。", "Nothing matches. Try other words or fewer filters.";
    PrevPage => "上一页", "Previous";
    NextPage => "下一页", "Next";
    PageOf => "页", "page";
    PriceSpread => "价差", "Spread";
    BestOffer => "最低价供应商", "Lowest-price supplier";
    Compare => "比价", "Compare";
    DeliveryFrom => "最快", "from";
    InvalidPrice => "价格请填写金额，如 12.50。", "Enter prices as amounts, e.g. 12.50.";
    // product comparison
    CompareTitle => "全网比价", "Price comparison";
    Specs => "规格参数", "Specifications";
    Barcode => "条码", "Barcode";
    ReferenceSource => "参考价来源", "Reference source";
    OffersInCity => "本市在售报价", "Live offers in this city";
    VsReference => "较参考价", "vs reference";
    SupplierScoreLabel => "履约评分", "Score";
    NoScore => "暂无", "n/a";
    PriceHistory => "本市最低价走势", "Lowest price in this city";
    PriceHistoryEmpty => "暂无价格记录", "No price history yet";
    LowestPrice => "最低价", "Lowest";
    VolumeTiers => "阶梯价", "Volume tiers";
    ErrImageType => "图片须为 PNG、JPEG 或 WebP 格式。", "The image must be PNG, JPEG or WebP.";
    ErrImageSize => "图片不能超过 2 MB。", "The image must be at most 2 MB.";
    // ordering
    QuantityLabel => "数量", "Quantity";
    AddToCart => "加入购物车", "Add to cart";
    BuyLowestNow => "一键购买最低价", "Buy the lowest now";
    AddedToCart => "已加入购物车。", "Added to the cart.";
    CartTitle => "购物车", "Cart";
    CartEmpty => "购物车是空的。", "The cart is empty.";
    LineTotal => "小计", "Subtotal";
    PayFrom => "支付预算指标", "Pay from budget line";
    PlaceOrder => "提交订单", "Place the order";
    OrdersPlaced => "订单已提交，金额已冻结。", "Orders placed; the money is frozen.";
    OrderPerSupplier => "结算时按供应商拆分为多个订单。", "Checkout places one order per supplier.";
    ErrEmptyCart => "购物车是空的。", "The cart is empty.";
    ErrQuantity => "数量须为 1 到 100000 之间的整数。", "Quantity must be a whole number from 1 to 100,000.";
    ErrNotOnSale => "该商品已下架或供应商暂停，无法购买。", "This offer is no longer on sale.";
    ErrNotInCity => "该供应商不在本单位所在城市供货。", "This supplier does not serve your unit's city.";
    ErrStock => "库存不足。", "Not enough stock.";
    ErrOverCap => "单笔订单超过电子卖场限额，请采用其他采购方式", "The order is above the e-mall limit: use a formal procurement method";
    ErrRating => "验收请给出 1 到 5 分的评价。", "Give a rating from 1 to 5 to accept.";
    ErrRejectNote => "验收不合格请说明原因。", "Say why the delivery fails inspection.";
    ErrInvoiceNo => "发票号码须为 8 到 40 位字母、数字或连字符。", "The invoice number is 8 to 40 letters, digits or dashes.";
    ErrInvoiceAmount => "发票金额须等于订单金额", "The invoice amount must equal the order total";
    ErrComplaintText => "请填写内容（不超过 2000 字）。", "Write something (at most 2,000 characters).";
    ErrPaymentTerms => "付款期限须为 1 到 60 天。", "Payment terms must be 1 to 60 days.";
    ErrBudgetLine => "请选择本单位的预算指标。", "Choose one of your unit's budget lines.";
    ErrBudget => "预算指标可用余额不足。", "Not enough money left on this budget line.";
    SplitWarning => "拆分采购提醒：本单位 {days} 天内同品目累计采购将超过电子卖场限额，已报送财政监管。", "Split-purchase warning: with your unit's orders in this category in the last {days} days the total is above the e-mall limit; the regulator has been told.";
    SplitWarningPreview => "拆分采购提醒：本单位 {days} 天内同品目累计采购将超过电子卖场限额；提交后将报送财政监管。", "Split-purchase warning: with your unit's orders in this category in the last {days} days the total would be above the e-mall limit; placing the order tells the regulator.";
    ErrTiers => "阶梯价须数量递增（至少 2）、价格递减且低于基础价。", "Tiers need increasing quantities (from 2) and decreasing prices below the base price.";
    Unit => "单位", "Unit";
    // supplier storefront
    SupplierStore => "供应商店铺", "Supplier storefront";
    CitiesServed => "服务城市", "Cities served";
    AdmittedOn => "入驻日期", "Admitted";
    OffersOfSupplier => "在售商品", "Products on sale";
    OfferStatusOnSale => "在售", "On sale";
    OfferStatusOffSale => "已下架", "Off sale";
    OfferStatusDraft => "草稿", "Draft";
    OfferStatusInReview => "审核中", "In review";
    OfferStatusSuspended => "已暂停", "Suspended";
    ErrPriceReason => "调价请填写原因。", "Give a reason for the price change.";
    ErrPositive => "必须为正数。", "Must be a positive number.";
    ErrOfferStatus => "状态只能为在售或下架。", "Status must be on sale or off sale.";
    // order page and lifecycle
    OrderTitle => "订单详情", "Order";
    ActPlace => "提交订单", "Placed the order";
    ActApprove => "审批通过", "Approve";
    ActDecline => "审批驳回", "Decline";
    ActCancel => "取消订单", "Cancel the order";
    ActConfirm => "确认接单", "Confirm the order";
    ActShip => "发货", "Mark as shipped";
    ActDeliver => "确认送达", "Mark as delivered";
    ActAccept => "验收合格", "Accept: passes inspection";
    ActRejectDelivery => "验收不合格", "Reject: fails inspection";
    ActInvoice => "开具发票", "Send the invoice";
    ActPay => "确认付款", "Record the payment";
    OrderedBy => "经办人", "Ordered by";
    BudgetLineLabel => "支付预算", "Budget line";
    PromisedDelivery => "承诺送达（确认后）", "Promised delivery (after confirmation)";
    PaymentTerms => "付款期限（验收后）", "Payment terms (after acceptance)";
    ConfirmBy => "确认截止", "Confirm by";
    DeliveryDue => "应送达", "Delivery due";
    PaymentDue => "付款截止", "Payment due";
    Overdue => "已逾期", "Overdue";
    Items => "商品明细", "Items";
    UnitPrice => "单价", "Unit price";
    Inspection => "验收", "Inspection";
    RatingLabel => "评分", "Rating";
    InspectionNotes => "验收意见", "Inspection notes";
    InvoiceHeading => "发票", "Invoice";
    InvoiceNo => "发票号码", "Invoice number";
    InvoiceAmount => "发票金额", "Invoice amount";
    ContractHeading => "电子合同", "Electronic contract";
    ViewContract => "查看并打印合同", "View and print the contract";
    ContractDigest => "合同摘要（SHA-256）", "Contract digest (SHA-256)";
    ContractIntact => "校验一致：合同自签署后未被改动。", "Verified: unchanged since signing.";
    ContractBroken => "校验失败：合同内容与签署时的摘要不符！", "Check failed: the text no longer matches its digest at signing!";
    ContractPending => "供应商确认订单后生成电子合同。", "The contract is signed when the supplier confirms the order.";
    History => "订单进度", "History";
    SystemActor => "系统", "System";
    NextStep => "办理", "Next step";
    NoteOptional => "备注（可选）", "Note (optional)";
    ReasonRequired => "原因（必填）", "Reason (required)";
    StepDone => "已办理。", "Done.";
    NothingToDo => "当前无需您办理。", "Nothing for you to do now.";
    ComplaintsHeading => "投诉与答复", "Complaints and answers";
    NoComplaints => "暂无投诉。", "No complaints.";
    FileComplaint => "提交投诉", "File a complaint";
    ComplaintLabel => "投诉内容", "What went wrong";
    AnswerLabel => "供应商答复", "Supplier's answer";
    SubmitAnswer => "提交答复", "Send the answer";
    AwaitingAnswer => "待供应商答复", "Awaiting the supplier's answer";
    // contract
    ContractTitle => "政府采购电子卖场合同", "Government e-mall purchase contract";
    ContractNo => "合同编号", "Contract no.";
    PartyA => "甲方（采购人）", "Party A (purchaser)";
    PartyB => "乙方（供应商）", "Party B (supplier)";
    UsccLabel => "统一社会信用代码", "Unified social credit code";
    AddressLabel => "地址", "Address";
    ContactLabel => "联系人", "Contact";
    PlacedAt => "下单时间", "Placed";
    SignedAt => "签署时间", "Signed";
    ClauseSubject => "一、标的：见上表。单价为含税、含运费的最终成交价，合同总价为 {total}。", "1. Subject: the items above, at final unit prices including tax and delivery; contract total {total}.";
    ClauseDelivery => "二、交付：乙方应在确认订单后 {days} 日内将货物送达甲方（{place}）。", "2. Delivery: Party B delivers to Party A ({place}) within {days} days of confirming the order.";
    ClauseInspection => "三、验收：货物送达后由甲方组织验收。验收不合格的，乙方负责退换，甲方就本合同冻结的预算资金全部释放。", "3. Inspection: Party A inspects on delivery. Goods that fail are taken back by Party B and the budget frozen for this contract is released in full.";
    ClausePayment => "四、付款：甲方应自验收合格之日起 {terms} 日内付款，资金来源为预算指标 {budget}。", "4. Payment: Party A pays within {terms} days of acceptance, from budget line {budget}.";
    ClauseSme => "五、乙方为中小企业，付款期限适用《保障中小企业款项支付条例》，最长不超过 60 日。", "5. Party B is an SME: payment terms follow the Regulation on Ensuring Payments to SMEs and never exceed 60 days.";
    ClauseTerms => "本合同依据电子卖场标准条款（{version}）订立，乙方在线确认订单即视为双方签署。", "This contract follows the e-mall standard terms ({version}); Party B's online confirmation of the order signs it for both parties.";
    Print => "打印", "Print";
    BackToOrder => "返回订单", "Back to the order";
    // performance
    PerformanceTitle => "履约评价", "Contract performance";
    PerformanceWindow => "统计区间：近 12 个月。评分规则：五项得分率加权，新供应商从 80 分起步。", "Last 12 months. Five weighted rates; a new supplier starts at 80.";
    PartConfirmation => "按时确认", "Confirms on time";
    PartDelivery => "按时送达", "Delivers on time";
    PartInspection => "验收合格", "Passes inspection";
    PartRating => "采购人评分", "Buyers' rating";
    PartComplaints => "无投诉", "Free of complaints";
    Weight => "权重", "Weight";
    Observations => "样本数", "Observations";
    RatePercent => "得分率", "Rate";
    OrdersCount => "订单数", "Orders";
    AverageRating => "平均评分", "Average rating";
    AverageConfirmHours => "平均确认用时（小时）", "Average hours to confirm";
    DeliveredOnTime => "按时送达", "Delivered on time";
    DeliveredLate => "延迟送达", "Delivered late";
    InspectionsFailed => "验收不合格", "Failed inspections";
    ComplaintsCount => "投诉", "Complaints";
    SupplierCancelled => "供应商取消", "Cancelled by the supplier";
    NotConfirmed => "超时未确认", "Not confirmed in time";
    PerformanceEvents => "履约事件明细", "Performance events";
    EventsPrivate => "明细仅供应商本人与监管部门可见。", "Only the supplier and the regulator see the events.";
    ViewEvents => "查看履约明细", "See the events";
    EvConfirmedInTime => "按时确认", "Confirmed in time";
    EvConfirmedLate => "超时确认", "Confirmed late";
    EvNotConfirmed => "超时未确认，系统取消", "Not confirmed; cancelled";
    EvSupplierCancelled => "供应商取消", "Cancelled by the supplier";
    EvDeliveredOnTime => "按时送达", "Delivered on time";
    EvDeliveredLate => "延迟送达（天）", "Delivered late (days)";
    EvInspectionPassed => "验收合格", "Passed inspection";
    EvInspectionFailed => "验收不合格", "Failed inspection";
    EvRated => "评分", "Rated";
    EvComplaint => "投诉", "Complaint";
    EvPaidOnTime => "按时付款", "Paid on time";
    EvPaidLate => "逾期付款（天）", "Paid late (days)";
    EvPaymentOverdue => "付款逾期", "Payment overdue";
    EventLabel => "事件", "Event";
    ValueLabel => "数值", "Value";
    // buyer home
    AwaitingApproval => "待审批订单", "Orders awaiting approval";
    PaymentTimeliness => "付款及时率（近 12 个月）", "Paid on time (last 12 months)";
    OverdueNow => "当前逾期未付", "Overdue now";
    // checkout preview
    PreviewHeading => "结算预览", "Before you place the order";
    NeedsApprovalNote => "达到审批金额，提交后需本单位审批人审批。", "At or above the approval threshold: the unit's approver must approve it.";
    PaymentTermsDays => "付款期限（验收后天数）", "Payment terms (days after acceptance)";
    // supplier onboarding
    ErrLength => "须为 {min} 到 {max} 个字符。", "Must be {min} to {max} characters.";
    ErrUsccLength => "统一社会信用代码须为 18 位，当前为 {n} 位。", "The unified social credit code has 18 characters; this has {n}.";
    ErrUsccCharset => "第 {position} 位“{found}”不是有效字符：只能使用数字和除 I、O、S、V、Z 以外的大写字母。", "Character {position} ({found}) is not allowed: use digits and capital letters except I, O, S, V, Z.";
    ErrUsccDivision => "第 3 至 8 位须为 6 位行政区划代码。", "Characters 3 to 8 must be the 6-digit administrative division code.";
    ErrUsccCheck => "校验位错误：第 18 位应为 {expected}，实际为 {found}，请核对营业执照。", "Wrong check character: the 18th should be {expected}, not {found}. Check the business licence.";
    ErrPhone => "请填写手机号码或带区号的固定电话。", "Enter a mobile number or a landline with its area code.";
    ErrEmail => "电子邮箱格式不正确。", "Not a valid e-mail address.";
    ErrCity => "请选择有效的城市。", "Choose a valid city.";
    ErrDistrict => "请选择注册城市下辖的区县。", "Choose a district of the registered city.";
    ErrSize => "请选择企业规模。", "Choose the enterprise size.";
    ErrSmeDeclaration => "中型、小型、微型企业须勾选中小企业声明。", "Medium, small and micro enterprises must make the SME declaration.";
    ErrBankAccount => "银行账号须为 8 到 32 位数字。", "The account number is 8 to 32 digits.";
    ErrAccountName => "开户名须与企业名称一致（对公账户）。", "The account must be in the company's name.";
    ErrCities => "请至少选择一个供货城市。", "Choose at least one city to serve.";
    ErrUsername => "用户名须为 3 到 32 位小写字母、数字、“-”或“_”。", "Usernames are 3 to 32 lower-case letters, digits, '-' or '_'.";
    ErrPassword => "密码 10 至 128 位，须同时包含字母和数字。", "10 to 128 characters, with letters and digits.";
    ErrUsccTaken => "该统一社会信用代码已注册，请直接登录或联系运营方。", "This unified social credit code is already registered: sign in, or contact the operator.";
    ErrNameTaken => "该企业名称已注册。", "This company name is already registered.";
    ErrUsernameTaken => "该用户名已被使用。", "This username is taken.";
    ErrReason => "请填写理由。", "Give a reason.";
    RegisterTitle => "供应商入驻申请", "Supplier registration";
    RegisterIntro => "一地注册，区域通用：一次入驻，即可向所选全部城市的采购单位供货。", "Register once, sell everywhere you serve: one admission covers every city you choose.";
    RegisterLink => "供应商入驻", "Register as a supplier";
    MyApplication => "我的入驻申请", "My application";
    ReviewTitle => "入驻审核", "Admission review";
    StepCompany => "企业信息", "Company";
    StepContact => "联系人与结算账户", "Contact and bank account";
    StepCities => "供货城市与账号", "Cities and sign-in";
    NextStepButton => "下一步", "Next";
    BackButton => "上一步", "Back";
    SubmitApplication => "提交入驻申请", "Submit the application";
    ResubmitApplication => "修改后重新提交", "Submit the corrections";
    CompanyName => "企业名称", "Company name";
    LegalRep => "法定代表人", "Legal representative";
    ContactPerson => "联系人", "Contact person";
    PhoneLabel => "联系电话", "Phone";
    EmailLabel => "电子邮箱", "E-mail";
    Province => "省份", "Province";
    RegisteredCity => "注册城市", "Registered city";
    District => "区县", "District";
    RegisteredAddress => "注册地址", "Registered address";
    SmeDeclarationLabel => "中小企业声明：本企业符合《政府采购促进中小企业发展管理办法》规定的中小企业条件，所填企业规模真实。", "SME declaration: this enterprise meets the SME conditions of the government procurement rules, and its stated size is true.";
    BankName => "开户银行", "Bank";
    BankAccount => "银行账号", "Account number";
    BankAccountName => "开户名", "Account name";
    CitiesToServe => "供货城市", "Cities served";
    ChooseOne => "请选择", "Choose";
    ReviewSubmitted => "待审核", "Awaiting review";
    ReviewChangesRequested => "需补正", "Changes requested";
    ReviewRejected => "未通过", "Rejected";
    ReviewAdmitted => "已准入", "Admitted";
    ReviewReasonLabel => "审核意见", "Reviewer's note";
    DecisionAdmit => "准予入驻", "Admit";
    DecisionRequestChanges => "退回补正", "Ask for changes";
    DecisionReject => "不予通过", "Reject";
    DecisionSubmit => "提交申请", "Submitted";
    EditApplication => "修改并重新提交", "Correct and resubmit";
    ApplicationPending => "入驻申请审核中；准入后即可在服务城市上架商品。", "Your application is being reviewed; once admitted you can list products in the cities you serve.";
    ReviewHistory => "审核记录", "Review history";
    ErrQualificationKind => "请选择资质类型。", "Choose the kind of qualification.";
    ErrQualificationNumber => "证书编号须为 4 到 50 个字符。", "The certificate number is 4 to 50 characters.";
    ErrQualificationIssuer => "发证机关须为 2 到 60 个字符。", "The issuer is 2 to 60 characters.";
    ErrDate => "日期格式为 YYYY-MM-DD。", "Dates are YYYY-MM-DD.";
    ErrExpired => "该证书已过有效期。", "This certificate has already expired.";
    ErrFileSize => "文件不能超过 10 MB。", "The file must be at most 10 MB.";
    ErrFileType => "文件须为 PDF、JPG 或 PNG 格式（按文件内容识别）。", "The file must be a PDF, JPG or PNG (told by its content).";
    QualificationsHeading => "资质文件", "Qualifications";
    QualificationKindLabel => "资质类型", "Kind";
    QualBusinessLicence => "营业执照", "Business licence";
    QualIndustryLicence => "行业许可证", "Industry licence";
    QualQualityCertificate => "质量认证", "Quality certificate";
    QualAuthorisation => "授权书", "Authorisation";
    QualOther => "其他", "Other";
    CertificateNo => "证书编号", "Number";
    Issuer => "发证机关", "Issuer";
    ValidUntil => "有效期至", "Valid until";
    NoLimit => "长期", "No limit";
    QualValid => "有效", "Valid";
    QualLapsed => "已过期", "Expired";
    QualSuperseded => "已更新", "Replaced";
    Download => "下载", "Download";
    UploadQualification => "上传资质", "Upload";
    FileLabel => "文件（PDF/JPG/PNG，≤10 MB）", "File (PDF/JPG/PNG, ≤ 10 MB)";
    NoticesHeading => "平台通知", "Notices";
    NoticeLapsed => "资质已过期，您的在售商品已暂停销售，请上传新的有效资质：", "A qualification has expired and your offers are suspended; upload a valid one:";
    NoticeRestored => "资质已更新，暂停的商品已恢复销售：", "Qualification renewed; suspended offers are back on sale:";
    ErrNoProduct => "没有这个标准商品。", "No such standard product.";
    ErrDuplicateOffer => "您已有该商品的在售或待审报价，请修改原报价。", "You already list this product: change that offer instead.";
    ErrCityNotServed => "您未登记在该城市供货：", "You are not registered to serve this city:";
    ErrRowProduct => "请填写商品编号，或品牌与型号。", "Give the product id, or brand and model.";
    ErrImportHeader => "首行须为表头，且包含“单价（元）”列。", "The first row must be the header, with a price column.";
    ErrTimedOut => "请求处理超时，请稍后再试。", "The request took too long: please try again.";
    ErrSlowRequest => "请求内容发送得太慢，连接已中止。", "The request body arrived too slowly: the connection was ended.";
    ErrBadBody => "请求内容格式不正确。", "The request body is not in the expected form.";
    ErrBadRequest => "请求的地址或参数不正确。", "The request's address or parameters are not valid.";
    ErrTooLarge => "请求内容过大。", "The request body is too large.";
    ErrMediaType => "请以 JSON 格式（Content-Type: application/json）发送请求内容。", "Send the request body as JSON (Content-Type: application/json).";
    ErrMethod => "该地址不支持此请求方法。", "This address does not take this request method.";
    ErrMoneyMax => "金额不能超过 1 亿元（100,000,000 元）。", "An amount may not exceed ¥100,000,000.";
    ErrTextTooLong => "不能超过 {max} 个字符。", "At most {max} characters.";
    SessionsTitle => "登录设备与会话", "Sessions and devices";
    SessionsLink => "登录设备与会话", "Where I am signed in";
    SessionsActive => "正在登录的会话", "Signed-in sessions";
    SessionsHint => "如有不认识的登录，请结束它并修改密码。", "If you do not recognise a session, end it and change your password.";
    SessionsSignedInAt => "登录时间", "Signed in";
    SessionsBrowser => "浏览器", "Browser";
    SessionsAddress => "网络地址", "Address";
    SessionsExpires => "有效期至", "Expires";
    SessionsEnd => "结束此会话", "End this session";
    SessionsEndOthers => "结束其他所有会话", "End all other sessions";
    SessionsThis => "当前会话", "This session";
    SessionsUnknownBrowser => "未知浏览器", "Unknown browser";
    SessionsEnded => "已结束 {count} 个会话。", "{count} session(s) ended.";
    ErrImageDimensions => "图片的长和宽都不能超过 {max} 像素。", "An image may be at most {max} pixels on each side.";
    ErrBusy => "服务器繁忙，请稍后再试。", "The server is busy: please try again in a moment.";
    ErrImportNotAdmitted => "供应商通过入驻审核后才能批量导入商品。", "Listings can be imported once the supplier is admitted.";
    ErrFileRows => "文件超过 {max} 行（含表头），请分成几个文件导入。", "The file has more than {max} rows (header included): import it in parts.";
    ErrFileColumns => "文件超过 {max} 列。", "The file has more than {max} columns.";
    ErrFileCellChars => "有单元格超过 {max} 个字符。", "A cell has more than {max} characters.";
    ErrFileTextChars => "文件中的文字超过 {max} 个字符。", "The file holds more than {max} characters of text.";
    ErrFileEntries => "XLSX 文件包含超过 {max} 个部件，不是普通的表格文件。", "The XLSX file has more than {max} parts: not an ordinary spreadsheet.";
    ErrFileInflated => "XLSX 文件解压后超过 {max} MB。", "The XLSX file unpacks to more than {max} MB.";
    ErrFileRatio => "XLSX 文件的压缩比超过 {max} 倍，不是普通的表格文件，已拒绝。", "The XLSX file is compressed more than {max} times: not an ordinary spreadsheet, refused.";
    ErrImportFile => "无法读取文件：请上传 CSV（UTF-8 或 GBK）或 XLSX。", "Cannot read the file: upload CSV (UTF-8 or GBK) or XLSX.";
    ErrRowDuplicate => "与第 {line} 行是同一商品。", "The same product as line {line}.";
    RowLabel => "第 {line} 行", "Line {line}";
    ListingsTitle => "商品管理", "Listings";
    ListingQueueTitle => "商品审核", "Listing review";
    SearchMyListings => "搜索我的商品", "Search my listings";
    AllStatuses => "全部状态", "All statuses";
    Filter => "筛选", "Filter";
    ListingsCount => "条报价", "offers";
    SaveButton => "保存", "Save";
    PriceChangeReason => "调价原因", "Reason for the change";
    PriceHeldNote => "新价格高于参考价，已提交审核，原价格继续有效。", "The new price is above the reference: it waits for review and the old price stays live.";
    Saved => "已保存。", "Saved.";
    ImportHeading => "批量导入", "Bulk import";
    ImportHelp => "上传 CSV（UTF-8 或 GBK）或 XLSX，列与导出文件相同；先预览，再整体导入，有错误时不写入任何数据。", "Upload CSV (UTF-8 or GBK) or XLSX with the export's columns; preview first, then import all at once — nothing is written while any row is wrong.";
    PreviewButton => "预览", "Preview";
    ApplyImport => "确认导入", "Import";
    ImportSummary => "共 {rows} 行：新增 {created}，更新 {updated}，待审核 {held}。", "{rows} rows: {created} new, {updated} updated, {held} held for review.";
    ImportErrors => "以下行有错误，请修改后重新上传：", "These rows have errors; fix them and upload again:";
    ImportDone => "已导入。", "Imported.";
    ExportCsv => "导出 CSV", "Export CSV";
    ExportXlsx => "导出 Excel", "Export Excel";
    TokensHeading => "API 令牌（ERP 对接）", "API tokens (ERP)";
    TokenHelp => "令牌仅显示一次，请妥善保存；请求时使用 Authorization: Bearer 令牌。令牌只能管理本企业的报价。", "A token is shown once: keep it safe and send it as Authorization: Bearer. It only manages your offers.";
    TokenName => "用途", "Purpose";
    CreateToken => "生成令牌", "Create a token";
    RevokeToken => "吊销", "Revoke";
    Revoked => "已吊销", "Revoked";
    LastUsed => "最近使用", "Last used";
    NewTokenShown => "新令牌（只显示这一次）：", "New token (shown only now):";
    AddOfferHeading => "新增报价", "Add an offer";
    FindProduct => "查找标准商品", "Find a standard product";
    PickProduct => "选择", "Choose";
    CreateOffer => "上架", "List it";
    OfferCreated => "已上架。", "Listed.";
    OfferHeld => "价格或单位未通过自动检查，已提交人工审核。", "Held for review by the automatic checks.";
    AwaitingReview => "待审核", "Awaiting review";
    FlagAboveReference => "高于参考价", "Above the reference price";
    FlagUnitMismatch => "计量单位与标准商品不符", "Unit of sale differs from the product's";
    FlagImplausiblePrice => "价格与参考价相差五倍以上，疑似计量单位错误", "Five times off the reference: probably a wrong unit";
    ReviewKindNew => "新上架", "New offer";
    ReviewKindPrice => "调价", "Price change";
    CurrentPrice => "现价", "Current";
    ProposedPrice => "申请价格", "Proposed";
    Approve => "通过", "Approve";
    RejectButton => "驳回", "Reject";
    NoReviews => "暂无待审核商品。", "Nothing waits for review.";
    ErrCategory => "请选择品目分类目录中的末级品目。", "Choose a leaf category of the procurement catalogue.";
    InvitationTitle => "加入供应商团队", "Join your company's team";
    AcceptInvitation => "创建账号", "Create my account";
    InvitationGone => "邀请链接无效、已使用或已过期，请联系贵公司管理员重新邀请。", "This invitation is unknown, used or expired: ask your company's owner for a new one.";
    StaffHeading => "员工账号", "Staff accounts";
    OwnerLabel => "管理员", "Owner";
    Deactivate => "停用", "Deactivate";
    Deactivated => "已停用", "Deactivated";
    ColleagueName => "同事姓名", "Colleague's name";
    InviteColleague => "邀请同事", "Invite a colleague";
    InvitationLinkNote => "请将此链接发给同事（7 天内有效，仅可使用一次）：", "Send this link to your colleague (valid 7 days, once):";
    ErrDeliveryDays => "承诺送达天数须在 1 到 90 之间。", "Delivery days must be between 1 and 90.";
    ErrOfferLocked => "该报价正在审核或已被暂停，不能自行上下架。", "This offer is under review or suspended: it cannot be put on or off sale.";
    PutOnSale => "上架", "Put on sale";
    TakeOffSale => "下架", "Take off sale";
    ProposeHeading => "提议新增标准商品", "Propose a standard product";
    ProposeHelp => "目录中没有要卖的商品时，提交品牌、型号和参考价；同品牌同型号即同一标准商品，运营审核后即可上架。", "When the catalogue lacks your product, propose it with its brand, model and reference price; the same brand and model is the same standard product. Once the operator approves it, list it.";
    NoProductFound => "目录中没有找到，可提议新增标准商品。", "Not in the catalogue: propose it as a new standard product.";
    Model => "型号", "Model";
    ProductTitle => "商品名称", "Product name";
    UnitOfSale => "计量单位", "Unit of sale";
    CategoryLabel => "品目", "Category";
    SubmitProposal => "提交提议", "Propose";
    ProposalExists => "目录中已有同品牌同型号的商品，可直接上架：", "The catalogue already has this brand and model; list it:";
    ProposalPending => "已提交，等待运营审核。", "Sent: it waits for the operator.";
    MyProposals => "我的商品提议", "My product proposals";
    ProposalsHeading => "标准商品提议", "Product proposals";
    NoProposals => "暂无待审核的商品提议。", "No proposals wait for a decision.";
    ProposalPendingState => "待审核", "Pending";
    ProposalApprovedState => "已通过", "Approved";
    ProposalMergedState => "已合并", "Merged";
    ProposalRejectedState => "已驳回", "Rejected";
    MergeInto => "合并到此商品", "Merge into this";
    FindSameProduct => "查找相同商品", "Find the same product";
    QualCheck => "审核", "Check";
    QualUnchecked => "未审核", "Not checked";
    QualVerified => "已核验", "Verified";
    QualFlagged => "有问题", "Flagged";
    Verify => "核验通过", "Verify";
    FlagIt => "标记问题", "Flag";
    ErrAboveCap => "该报价高于同城限价（联合采购结果），不能按此价格购买。", "This offer is above the city price cap set by a joint purchase and cannot be bought at that price.";
    ErrDateTime => "请输入有效的日期和时间。", "Enter a valid date and time.";
    ErrClosesInPast => "截止时间须晚于现在和开始时间。", "The deadline must be after now and after the opening.";
    ErrValidityDays => "限价有效期须在 1 到 730 天之间。", "The price cap must hold for 1 to 730 days.";
    ErrPoolNotOpen => "该联合采购不在征集期内（未开始或已截止）。", "This joint purchase is not open (not yet started, or closed).";
    ErrPoolCity => "只有该城市的采购单位可以参加。", "Only purchasing units in the pool's city may join.";
    ErrPoolNoOffer => "请先在该城市上架此商品，再参与报价。", "List this product in the pool's city before bidding.";
    ErrAboveCeiling => "报价不得高于最高限价。", "No price may exceed the ceiling price.";
    ErrPoolTiers => "阶梯报价须为 1–10 档，数量递增、价格不升且大于零。", "Tiers: 1 to 10, quantities increasing, prices above zero and never rising.";
    PriceCapLabel => "同城限价", "City price cap";
    PriceCapNote => "联合采购成交价，{supplier} 按此价供货，有效期至 {until}。", "Set by a joint purchase: {supplier} sells at this price until {until}.";
    PoolResultLink => "查看联合采购结果", "See the joint purchase";
    AboveCap => "高于同城限价", "Above the city cap";
    SignInToJoin => "登录后参与", "Sign in to take part";
    MyCommitment => "本单位认购数量", "Your unit's commitment";
    PoolAmount => "成交金额", "Amount";
    ViewOrder => "查看订单", "View the order";
    Withdrawn => "已退出", "Withdrawn";
    CommitQuantity => "认购数量", "Quantity to commit";
    FreezeNote => "按最高限价冻结预算，截止成交后按成交价多退少补（只退不补）。", "Budget is frozen at the ceiling price; at the close the difference to the pool price is released.";
    ChangeCommitment => "修改认购", "Change the commitment";
    JoinPool => "参加联合采购", "Join the joint purchase";
    WithdrawCommitment => "退出", "Withdraw";
    BidHelp => "按认购总量报阶梯价：总量达到起订数量后适用该单价，数量越大价格不得更高，且不高于最高限价。截止前可修改。", "Bid volume tiers: from each total quantity on, that unit price applies; prices never rise with quantity and never exceed the ceiling. Revise until the close.";
    TierFrom => "总量达到", "From a total of";
    AddTier => "增加一档", "Add a tier";
    PlaceBid => "提交报价", "Place the bid";
    ReviseBid => "修改报价", "Revise the bid";
    ClosePoolNow => "立即截止并成交", "Close and settle now";
    JointPurchase => "联合采购", "Joint purchase";
    PoolTitle => "项目名称", "Title";
    DeliveryTerms => "交付要求", "Delivery terms";
    MinTotalQuantity => "最低成团数量", "Minimum total quantity";
    CeilingPrice => "最高限价（元）", "Ceiling price (yuan)";
    ClosesAt => "截止时间", "Closes at";
    CapValidityDays => "限价有效期（天）", "Price cap holds (days)";
    OpenPool => "发起联合采购", "Open the pool";
    PoolsTitle => "联合采购", "Joint purchases";
    PoolsIntro => "多家单位合并采购同一标准商品，数量越大价格越低；成交价即为本市同城限价。", "Units pool their purchases of one standard product: the more they commit, the lower the price, and the result caps the price in the city.";
    OpenPoolsHeading => "正在征集", "Open for commitments";
    ClosedPoolsHeading => "已截止", "Closed";
    NoPools => "暂无联合采购。", "No joint purchases.";
    CommittedOf => "已认购 {total} / 成团 {min}", "{total} committed of {min} needed";
    NextTierHint => "再认购 {missing} {unit}，单价可降至 {price}", "{missing} {unit} more lowers the price to {price}";
    UnitsJoined => "参与单位", "Units";
    Bidders => "报价供应商", "Bidders";
    PoolStateOpen => "征集中", "Open";
    PoolStateAwarded => "已成交", "Awarded";
    PoolStateFailed => "未成团", "Failed";
    PoolPriceNow => "当前成交价", "Price now";
    PoolTerms => "采购条件", "Terms";
    BidsHeading => "阶梯报价", "Volume-tier bids";
    BidderLabel => "供应商 ", "Supplier ";
    PriceAtTotal => "按当前总量单价", "Price at the total";
    ResultHeading => "成交结果", "Result";
    WinnerLabel => "成交供应商", "Winner";
    SavingsVsHistory => "本市近 12 个月均价", "City's 12-month average";
    SavingsVsReference => "市场参考价", "Reference price";
    SavedBy => "每件节约", "Saves";
    MoreBy => "每件高出", "Costs more by";
    InTotal => "合计", "in total";
    UnitsServed => "服务单位数", "Units served";
    CapUntilLabel => "同城限价有效期至", "City price cap until";
    FailBelowMinimum => "认购总量未达到最低成团数量，所有冻结预算已释放。", "The total stayed below the minimum; every freeze was released.";
    FailNoBid => "没有供应商的报价覆盖认购总量，所有冻结预算已释放。", "No bid served the total; every freeze was released.";
    ErrSuspensionDays => "暂停天数须在 1 到 365 之间。", "A suspension lasts 1 to 365 days.";
    ErrCreditState => "该信用记录当前不能申诉或裁决（已申诉或已裁决）。", "This entry cannot be appealed or decided now (appealed or decided already).";
    CreditRecord => "信用记录", "Credit record";
    NoCreditEntries => "无不良信用记录。", "No adverse entries.";
    CreditWarning => "警告", "Warning";
    CreditSuspension => "暂停交易", "Suspension";
    CreditRevocation => "清退", "Revocation";
    CreditInForce => "生效中", "In force";
    CreditAppealed => "申诉中", "Under appeal";
    CreditUpheld => "申诉驳回", "Appeal refused";
    CreditOverturned => "已撤销", "Overturned";
    CreditEnded => "已期满", "Ended";
    CreditKindLabel => "类型", "Kind";
    RecordedOn => "记录时间", "Recorded";
    OrdersLabel => "涉及订单", "Orders";
    AppealLabel => "申诉", "Appeal";
    DecisionLabel => "裁决", "Decision";
    UntilLabel => "至", "until";
    SuspensionDays => "暂停天数", "Days suspended";
    RecordCredit => "记入信用记录", "Record";
    AppealGrounds => "申诉理由", "Grounds of the appeal";
    Appeal => "申诉", "Appeal";
    UpholdAppeal => "维持", "Uphold";
    OverturnEntry => "撤销", "Overturn";
    RuleSplitPurchase => "拆分采购", "Split purchase";
    RuleBunching => "金额集中于限额以下", "Orders bunched under a threshold";
    RuleAboveReference => "高于市场参考价", "Above the reference price";
    RuleRepeatedPriceChanges => "频繁调价", "Repeated price changes";
    RuleRaiseAfterPool => "联合采购后涨价", "Price raised after a joint purchase";
    RuleDominantSupplier => "单一供应商占比异常", "One supplier's unusual share";
    RuleSharedContacts => "供应商联系方式相同", "Suppliers sharing contact details";
    RuleLateConfirmation => "未按时确认订单", "Order not confirmed in time";
    RuleLatePayment => "逾期付款", "Late payment";
    AlertOpen => "待处理", "Open";
    AlertConfirmed => "已确认", "Confirmed";
    AlertDismissed => "已排除", "Dismissed";
    AlertActed => "已处理", "Acted on";
    AlertsTitle => "预警监控", "Red flags";
    AlertRule => "预警规则", "Rule";
    AllRules => "全部规则", "All rules";
    NoAlerts => "暂无预警。", "No red flags.";
    AlertWho => "涉及单位 / 供应商", "Unit / supplier";
    AmountLabel => "金额", "Amount";
    AlertMeasures => "指标", "Measures";
    UpdatedAt => "更新时间", "Updated";
    TriageNote => "处理意见", "Note";
    ConfirmAlert => "确认", "Confirm";
    DismissAlert => "排除", "Dismiss";
    ScanNow => "立即扫描", "Scan now";
    Evidence => "证据", "Evidence";
    OffersLabel => "涉及报价", "Offers";
    ActOnAlert => "处理：记入供应商信用记录", "Act: a credit entry for the supplier";
    AllPools => "全部联合采购", "All joint purchases";
    LeadPool => "牵头发起联合采购", "Lead a joint purchase";
    PoolConsoleTitle => "联合采购管理", "Joint purchase management";
    ClosedEarly => "（运营提前截止）", "(closed early by the operator)";
    NoticeFlagged => "资质材料被标记有问题，请重新上传：", "A qualification was flagged; upload a replacement:";
    CalendarTitle => "工作日历", "Working-day calendar";
    CalendarMissing => "以下年份的节假日安排尚未载入：", "No holiday calendar is loaded for:";
    CalendarMissingHint => "未载入的年份只扣除周末和元旦、劳动节、国庆节；春节、清明节、端午节、中秋节会按工作日计算，供应商确认订单的期限可能不足。请按国务院办公厅当年部分节假日安排的通知载入。", "For such a year only weekends, New Year's Day, Labour Day and National Day are skipped; Spring Festival, Qingming, Dragon Boat and Mid-Autumn count as working days, so suppliers may get too little time to confirm orders. Load the year from the State Council's notice on public holidays.";
    CalendarYear => "年份", "Year";
    CalendarOrigin => "来源", "Origin";
    CalendarShipped => "随系统提供", "Shipped with the mall";
    CalendarLoadedByOperator => "运营载入", "Loaded by the operator";
    CalendarSource => "依据", "Source";
    CalendarHolidays => "放假日", "Days off";
    CalendarWorkdays => "调休上班日", "Make-up working days";
    CalendarLoadedAt => "载入时间", "Loaded at";
    CalendarFile => "一年的节假日文件", "A year's file";
    CalendarFileHint => "每行“键 = 值”：year = 年份；source = \"通知名称\"（可省略）；holidays = [\"YYYY-MM-DD\", \"YYYY-MM-DD..YYYY-MM-DD\", …] 放假日；workdays = [\"YYYY-MM-DD\", …] 调休上班日（须为周六或周日）。# 之后为注释。载入后替换该年原有的日历。", "One `key = value` per line: year = the year; source = \"the notice's title\" (optional); holidays = [\"YYYY-MM-DD\", \"YYYY-MM-DD..YYYY-MM-DD\", …] the days off; workdays = [\"YYYY-MM-DD\", …] the make-up working days (each a Saturday or Sunday). # starts a comment. Loading a year replaces its calendar.";
    CalendarLoad => "载入", "Load";
    CalendarLoadedOk => "已载入节假日安排，各节点在下一次定时任务时启用：", "Calendar loaded; every node uses it from its next timer run:";
    CalendarRefused => "文件有误，未载入：", "The file has faults and was not loaded:";
    CalendarWholeFile => "文件", "File";
    CalendarNotText => "文件须为 UTF-8 文本", "The file must be UTF-8 text";
    CalSyntax => "不是“键 = 值”格式，或引号、方括号未闭合", "Not `key = value`, or a quote or bracket left open";
    CalUnknownKey => "未知的键（只能是 year、source、holidays、workdays）", "Unknown key (only year, source, holidays, workdays)";
    CalRepeatedKey => "键重复", "Key given twice";
    CalNoYear => "缺少 year = 年份", "No year = YYYY";
    CalBadYear => "year 须为 2000 至 2100 的整数", "year must be a whole number from 2000 to 2100";
    CalBadSource => "source 须为不超过 200 字的字符串", "source must be a string of at most 200 characters";
    CalNotAList => "须为日期列表 [\"YYYY-MM-DD\", …]", "must be a list of dates [\"YYYY-MM-DD\", …]";
    CalBadDate => "不是有效日期（YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）", "Not a real date (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)";
    CalBadRange => "日期范围的结束早于开始，或长于一年", "A range that ends before it starts or is longer than a year";
    CalOutsideYear => "日期不在 year 所指的年份内", "A date outside the file's year";
    CalRepeated => "日期重复", "Date listed twice";
    CalOffAndWorked => "同一天既放假又调休上班", "Both a day off and a make-up working day";
    CalWorkdayNotWeekend => "调休上班日须为周六或周日", "A make-up working day must be a Saturday or Sunday";
    CalStatutoryMissing => "缺少法定节假日（元旦、劳动节、国庆节）", "A statutory holiday is missing (New Year's Day, Labour Day, National Day)";
    // 审计日志
    AuditTitle => "审计日志", "Audit log";
    AuditIntro => "资金、订单、合同、联合采购、供应商准入、信用记录和系统设置的每一次变更，都在同一事务中写入一条记录，并以 SHA-256 与上一条相链；篡改、删除或调换任何一条，都会使从该条起的校验失败。", "Every change of money, orders, contracts, joint purchases, supplier admissions, credit entries and settings is written in the same transaction as one entry, chained to the one before by SHA-256; altering, deleting or moving any entry makes the chain fail from that entry on.";
    AuditRecent => "最新记录", "Newest entries";
    AuditNoEntries => "没有记录。", "No entries.";
    AuditAskKind => "对象类型", "Kind of object";
    AuditAskId => "编号", "Number";
    AuditShow => "查看", "Show";
    AuditSeq => "序号", "No.";
    AuditAt => "时间", "Time";
    AuditWho => "操作人", "By";
    AuditObject => "对象", "Object";
    AuditAction => "操作", "Action";
    AuditAmount => "金额", "Amount";
    AuditChain => "链校验", "Chain";
    AuditVerified => "已校验", "Verified";
    AuditUnverified => "未通过", "Fails";
    AuditChainHolds => "哈希链校验通过，截至第 {seq} 条（{at} 核验）。", "The hash chain verifies through entry {seq} (checked {at}).";
    AuditChainBroken => "哈希链在第 {seq} 条断开（{at} 发现）：该条及其后的记录不可信。请运行 emall audit verify 核查。", "The hash chain breaks at entry {seq} (found {at}): that entry and those after it cannot be trusted. Run emall audit verify.";
    AuditBrokenSequence => "该位置的记录缺失或被移动。", "The entry in that place is missing or was moved.";
    AuditBrokenHash => "该条记录（或其前一条）的内容与链哈希不符，已被改动。", "That entry (or the one before it) no longer matches its chain hash: it was altered.";
    AuditBrokenMissing => "日志末尾的记录缺失。", "Entries are missing from the end of the log.";
    AuditBrokenHead => "链头记录与最后一条记录不符。", "The chain's head does not match the last entry.";
    AuditDigests => "摘要", "Digests";
    AuditBefore => "变更前状态", "State before";
    AuditAfter => "变更后状态", "State after";
    AuditHash => "链哈希", "Chain hash";
    AuditSystemTimer => "系统（定时任务）", "The system (timers)";
    ErrAuditObject => "请选择对象类型，并填写编号。", "Choose a kind of object and give its number.";
    AuditKindOrder => "订单", "Order";
    AuditKindContract => "电子合同", "Contract";
    AuditKindBudgetLine => "预算指标", "Budget line";
    AuditKindPool => "联合采购", "Joint purchase";
    AuditKindSupplier => "供应商", "Supplier";
    AuditKindCreditEntry => "信用记录", "Credit entry";
    AuditKindCalendarYear => "工作日历年份", "Calendar year";
    AuditKindUnknown => "（无法识别的对象）", "(unrecognised object)";
    AuditPlace => "下单，冻结预算", "Ordered; budget frozen";
    AuditPoolOrder => "联合采购成交，生成订单", "Ordered by the joint purchase's award";
    AuditApprove => "审批通过", "Approved";
    AuditDecline => "审批不通过，释放预算", "Declined; budget released";
    AuditCancel => "取消，释放预算", "Cancelled; budget released";
    AuditConfirm => "供应商确认订单", "Confirmed by the supplier";
    AuditShip => "发货", "Shipped";
    AuditDeliver => "送达", "Delivered";
    AuditAccept => "验收通过", "Accepted on inspection";
    AuditRejectDelivery => "验收不通过，释放预算", "Rejected on inspection; budget released";
    AuditInvoice => "开具发票", "Invoiced";
    AuditPay => "付款，预算转为已支出", "Paid; frozen budget spent";
    AuditFlagOverdue => "付款逾期（系统标记）", "Payment overdue (flagged by the system)";
    AuditSign => "签订电子合同（合同摘要入链）", "Contract signed (its SHA-256 in the chain)";
    AuditOpen => "发起联合采购", "Joint purchase opened";
    AuditBid => "供应商报价", "Bid placed";
    AuditCommit => "承诺采购量，冻结预算", "Quantity committed; budget frozen";
    AuditRelease => "释放冻结的预算", "Frozen budget released";
    AuditWithdraw => "撤回承诺，释放预算", "Commitment withdrawn; budget released";
    AuditAward => "联合采购成交", "Joint purchase awarded";
    AuditFail => "联合采购流标", "Joint purchase failed";
    AuditRegister => "提交入驻申请", "Applied to sell";
    AuditResubmit => "重新提交入驻申请", "Application resubmitted";
    AuditAdmit => "准入", "Admitted";
    AuditReject => "驳回入驻申请", "Application rejected";
    AuditRequestChanges => "要求补正申请", "Changes requested";
    AuditWarn => "记录信用警告", "Warning recorded";
    AuditSuspend => "记录暂停交易", "Suspension recorded";
    AuditRevoke => "记录清退", "Revocation recorded";
    AuditAppeal => "提出申诉", "Appealed";
    AuditUphold => "申诉不成立，维持记录", "Appeal refused; entry upheld";
    AuditOverturn => "申诉成立，撤销记录", "Appeal granted; entry overturned";
    AuditEnd => "暂停期满", "Suspension ended";
    AuditLoadCalendar => "载入工作日历", "Working-day calendar loaded";
    AuditUnknownAction => "（无法识别的操作）", "(unrecognised action)";
}

/// The display name of a role.
pub fn role_text(role: emall_domain::Role, locale: Locale) -> &'static str {
    use emall_domain::Role;
    // One constant message per arm, so the wasm modules need no run-time table lookup.
    match role {
        Role::Buyer => locale.t(Msg::RoleBuyer),
        Role::Approver => locale.t(Msg::RoleApprover),
        Role::Supplier => locale.t(Msg::RoleSupplier),
        Role::Operator => locale.t(Msg::RoleOperator),
        Role::Regulator => locale.t(Msg::RoleRegulator),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_locales() {
        assert_eq!(Locale::En.href("/"), "/en");
        assert_eq!(Locale::En.href("/login"), "/en/login");
        assert_eq!(Locale::ZhCn.href("/login"), "/login");
        assert_eq!(Locale::from_path("/en"), (Locale::En, "/"));
        assert_eq!(Locale::from_path("/en/login"), (Locale::En, "/login"));
        assert_eq!(Locale::from_path("/english"), (Locale::ZhCn, "/english"));
        assert_eq!(Locale::from_path("/login"), (Locale::ZhCn, "/login"));
    }

    #[test]
    fn accept_language_prefers_first_tag() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9"), Locale::En);
        assert_eq!(
            Locale::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Locale::ZhCn
        );
        assert_eq!(Locale::from_accept_language(""), Locale::ZhCn);
    }

    #[test]
    fn fill_replaces_named_placeholders_once() {
        assert_eq!(
            Locale::ZhCn.fill(Msg::ErrFileRows, &[("max", &10_000)]),
            "文件超过 10000 行（含表头），请分成几个文件导入。"
        );
        assert_eq!(
            Locale::En.fill(Msg::ErrRowDuplicate, &[("line", &"{line}")]),
            "The same product as line {line}."
        );
        assert_eq!(
            Locale::En.fill(Msg::ErrRowDuplicate, &[]),
            "The same product as line {line}."
        );
    }
}
