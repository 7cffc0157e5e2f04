"""Each bureau's own words, so that a synthetic corpus of 20 bureaux has each bureau's common terms.

The bundled real replies are all from the Innovation, Technology and Industry Bureau (ITIB). A synthetic reply
of another bureau keeps their sentences but has every *technology-specific* word replaced by a word of its own
bureau's vocabulary, so that 智方便 or 數碼港 end up mostly in ITIB's share of the corpus, as they would over
20 real bureaux, and each bureau brings its own frequent terms.

The rule for "technology-specific" (stated so that it can be checked, not chosen word by word):

* every CJK-only proper term (`nz`) of ``fixtures/search_dictionary.txt``, the portal's dictionary of the
  technology corpus's programmes, schemes and bodies (智方便, 數碼港, 資科辦, 創科基金 …), and
* every occurrence of one of ``TECH_STEMS``, the technology bureau's generic domain words (科技, 創新, 數碼 …).

Matching is done on folded text (``search.fold``: Traditional and Simplified alike; it keeps every offset).

The vocabularies are hand-written Traditional Chinese words of 2 to 8 characters typical of each bureau's
programmes in the Controlling Officers' reports; they are drawn with Zipf weights (the first word of a list
most often), so each bureau has a few very common terms and a long tail. ITIB has none: its replies keep the
real text.
"""

from __future__ import annotations

import bisect
import random
import re
from pathlib import Path

DICTIONARY = Path(__file__).resolve().parent.parent.parent / "fixtures" / "search_dictionary.txt"
TECHNOLOGY_BUREAU = "ITIB"

TECH_STEMS = (
    "創新科技", "資訊科技", "人工智能", "數碼港", "科學園", "智方便", "資科辦", "創科", "科技", "創新", "數碼",
    "數字", "資訊", "智慧", "數據", "網絡", "網上", "電子", "科研", "研發", "初創", "程式", "系統", "平台",
    "雲端", "區塊鏈", "電腦", "軟件", "互聯網", "機械人", "半導體", "晶片", "再工業化", "河套", "應用程式",
)

# prefix -> the bureau's words, most frequent first
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "FSTB(Tsy)": ("財政預算", "政府帳目", "稅收", "開支預算", "基本工程儲備基金", "財政儲備", "政府債券",
                  "綠色債券", "利得稅", "薪俸稅", "差餉", "印花稅", "財政赤字", "公共財政", "經常開支",
                  "資本開支", "庫房", "物料供應處", "政府物流服務署", "政府產業", "稅務局", "差餉物業估價署",
                  "稅務寬減", "應課差餉租值", "收入預算", "投資收入", "外匯基金", "基建債券", "財務管理"),
    "FSTB(FS)": ("金融市場", "證券及期貨事務監察委員會", "保險業監管局", "強制性公積金", "積金局", "上市公司",
                 "金融服務", "資產管理", "家族辦公室", "綠色金融", "虛擬資產", "財資中心", "離岸人民幣",
                 "互聯互通", "會計及財務匯報局", "破產管理署", "公司註冊處", "存款保障計劃", "打擊洗錢",
                 "金融發展局", "保險業", "財富管理", "債券市場", "交易所", "投資者教育", "債務重組"),
    "EDB": ("學校", "教師", "課程", "幼稚園教育", "中學文憑試", "學生", "校本", "特殊教育需要", "融合教育",
            "小學", "中學", "專上教育", "資助學校", "直資學校", "學前教育", "教學語言", "校長", "家長教育",
            "公民教育", "國家安全教育", "學額", "自資專上院校", "職業專才教育", "課外活動", "資優教育",
            "學生資助", "學校發展津貼", "校舍", "非華語學生", "教師專業發展", "大學教育資助委員會"),
    "HB": ("公共租住房屋", "輪候時間", "公屋", "居者有其屋計劃", "房屋委員會", "房屋署", "簡約公屋",
           "過渡性房屋", "劏房", "租金津貼", "一般申請者", "非長者一人申請者", "房屋供應", "資助出售房屋",
           "綠置居", "屋邨", "富戶政策", "寬敞戶", "租務管制", "公屋單位", "建屋量", "房屋用地",
           "長遠房屋策略", "私人住宅", "樓宇維修", "重建", "市區重建局", "舊屋邨重建"),
    "EEB(E)": ("廢物", "減碳", "空氣質素", "都市固體廢物收費", "回收", "碳中和", "環境保護署", "污水處理",
               "噪音", "廚餘", "塑膠", "堆填區", "轉廢為能", "電動車", "充電設施", "節約能源", "再生能源",
               "氣候變化", "排放", "海水化淡", "綠在區區", "生產者責任計劃", "環境影響評估", "水質",
               "綠色運輸", "減廢", "空氣污染", "低碳生活"),
    "EEB(F)": ("漁農", "食物安全", "郊野公園", "漁業", "禽流感", "食肆", "街市", "小販", "衞生黑點", "公眾街市",
               "食物環境衞生署", "漁農自然護理署", "動物福利", "寵物", "農地", "本地農業", "海岸公園",
               "鼠患", "蚊患", "公廁", "垃圾收集", "食品進口", "獸醫", "有機耕種", "濕地", "植物檢疫",
               "牌照", "墳場及火葬場"),
    "SB": ("警務處", "罪案", "消防處", "入境事務處", "懲教署", "救護車", "警隊", "紀律部隊", "滅罪",
           "毒品", "禁毒", "國家安全", "非法入境者", "免遣返聲請", "出入境管制", "消防安全", "緊急救護",
           "警員", "巡邏", "詐騙案", "網上騙案", "保安局", "海關", "懲教院所", "更生", "反恐",
           "交通意外", "罪案率", "搜救", "飛行服務隊"),
    "HHB": ("醫院管理局", "公立醫院", "輪候時間", "基層醫療", "衞生署", "病床", "急症室", "專科門診", "醫生",
            "護士", "疫苗接種", "長者醫療券", "慢性疾病", "精神健康", "地區康健中心", "醫療人手", "藥物",
            "牙科服務", "公私營協作", "癌症", "控煙", "中醫", "病人", "手術", "醫療設備", "傳染病",
            "健康推廣", "醫療儲蓄", "專職醫療"),
    "LWB": ("社會福利署", "長者", "安老院舍", "綜合社會保障援助", "綜援", "殘疾人士", "康復服務", "勞工處",
            "最低工資", "就業", "僱員", "僱主", "外籍家庭傭工", "幼兒照顧", "社區照顧服務", "長者生活津貼",
            "高齡津貼", "在職家庭津貼", "職業安全", "僱員再培訓局", "護老者", "兒童之家", "家庭暴力",
            "社工", "輪候冊", "日間護理", "扶貧", "就業服務", "職位空缺", "強積金對沖"),
    "DEVB(PL)": ("土地供應", "規劃", "地政總署", "收地", "北部都會區", "新界", "發展密度", "土地用途",
                 "城市規劃委員會", "改劃", "棕地", "明日大嶼", "填海", "賣地", "土地契約", "補地價",
                 "換地", "非法佔用官地", "丈量", "私人土地", "新發展區", "古洞北", "洪水橋", "元朗南",
                 "土地共享先導計劃", "市區更新", "地契修訂", "規劃署"),
    "DEVB(W)": ("工務工程", "建築署", "土木工程拓展署", "渠務署", "水務署", "斜坡", "食水", "排水",
                "工程合約", "建造業", "工地安全", "建造業人力", "大型基建", "工程項目", "隧道", "樹木管理",
                "公共工程", "招標", "海堤", "防洪", "污水渠", "淡水", "水管爆裂", "建造成本", "工程進度",
                "古物古蹟", "保育", "歷史建築"),
    "TLB": ("運輸署", "公共交通", "港鐵", "專營巴士", "的士", "小巴", "道路", "交通擠塞", "泊車位", "車輛",
            "駕駛執照", "運輸及物流局", "機場", "航空", "海運", "物流", "渡輪", "跨境交通", "隧道費",
            "電子道路收費", "行人設施", "單車徑", "鐵路", "路線重組", "乘客", "公共交通費用補貼",
            "車牌", "港口", "貨櫃碼頭", "海事處"),
    "CSTB": ("康樂及文化事務署", "文化", "體育", "旅遊", "博物館", "圖書館", "表演場地", "藝術",
             "體育館", "游泳池", "公園", "旅遊業", "旅客", "盛事", "非物質文化遺產", "電影", "創意產業",
             "西九文化區", "運動員", "康體設施", "啟德體育園", "香港旅遊發展局", "文化交流", "演藝",
             "公共圖書館", "泳灘", "足球場", "藝術發展"),
    "CMAB": ("選舉", "選民登記", "內地事務", "大灣區", "駐內地辦事處", "個人資料私隱", "平等機會",
             "人權", "選舉事務處", "投票", "選民", "立法會選舉", "區議會", "國家憲法", "基本法",
             "粵港合作", "港澳", "兩地合作", "國民教育", "內地聯繫", "憲制", "選區", "候選人", "投票站",
             "選舉開支", "公民意識", "經貿辦"),
    "HYAB": ("民政事務總署", "地區", "青年", "關愛隊", "區議會", "社區會堂", "地區管理", "青年發展委員會",
             "青年實習", "少數族裔", "義工", "大廈管理", "業主立案法團", "社區參與", "青年宿舍",
             "地區工作", "民政事務處", "鄉郊", "鄉事委員會", "婦女事務", "家庭議會", "社區中心",
             "防災", "地區設施", "公眾諮詢", "社會企業", "青年交流"),
    "CEDB(CIT)": ("工商", "中小企", "貿易", "營商環境", "投資推廣署", "香港貿易發展局", "經濟貿易",
                  "商務", "知識產權", "專利", "商標", "出口", "進口", "競爭事務", "消費者委員會",
                  "電訊", "廣播", "保障消費者", "展覽", "會議展覽", "中小企業", "工業貿易署",
                  "自由貿易協定", "區域全面經濟夥伴關係協定", "企業支援", "品牌", "市場推廣", "電訊管理局"),
    "CEDB": ("香港海關", "走私", "應課稅品", "私煙", "保障知識產權", "清關", "貨物檢查", "緝毒",
             "版權", "冒牌貨品", "商品說明", "度量衡", "海關人員", "邊境管制站", "行李檢查", "貨櫃檢查",
             "應課稅品牌照", "走私活動", "反走私", "消費者權益", "X光檢查", "稅款", "緝私", "貨運",
             "旅客清關", "查緝"),
    "CSB": ("公務員", "公務員事務局", "編制", "職位", "招聘", "薪酬", "公務員培訓", "退休金", "公務員隊伍",
            "人手編制", "晉升", "紀律處分", "公務員學院", "空缺", "房屋福利", "員工關係", "公務員薪酬",
            "彈性工作", "合約員工", "非公務員合約", "常額職位", "首長級", "公務員入職", "聘任",
            "公務員守則", "宣誓", "薪級表"),
    "SJ": ("律政司", "檢控", "法律援助", "法律", "刑事檢控", "法律草擬", "國際法律", "調解", "仲裁",
           "法律改革委員會", "法律政策", "法院", "案件", "訴訟", "檢控人員", "法律意見", "法律服務",
           "律師", "大律師", "司法覆核", "民事訴訟", "上訴", "國際法", "法治", "判決", "案件數目",
           "刑事案件"),
}


class BureauVocabulary:
    """One bureau's words with Zipf weights: ``draw`` returns its first word most often."""

    def __init__(self, words: tuple[str, ...]):
        self.words = words
        self.cumulative = []
        total = 0.0
        for rank in range(1, len(words) + 1):
            total += 1 / rank
            self.cumulative.append(total)

    def draw(self, rng: random.Random) -> str:
        return self.words[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


class TechnologyTerms:
    """Where the technology-specific words are in a paragraph: (first, stop) token ranges, by the module's rule."""

    def __init__(self, dictionary: Path = DICTIONARY):
        from search import fold

        self.fold = fold
        terms = {fold(stem) for stem in TECH_STEMS} | proper_terms(dictionary)
        alternatives = "|".join(re.escape(term) for term in sorted(terms, key=lambda term: (-len(term), term)))
        self.pattern = re.compile(alternatives)

    def matches(self, word: str) -> bool:
        return self.pattern.search(self.fold(word)) is not None

    def spans(self, words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
        """Token ranges covering each match (a match inside a token covers the whole token)."""
        text = self.fold("".join(words))
        starts, position = [], 0
        for word in words:
            starts.append(position)
            position += len(word)
        ranges = []
        for match in self.pattern.finditer(text):
            first = bisect.bisect_right(starts, match.start()) - 1
            stop = bisect.bisect_left(starts, match.end())
            if ranges and first < ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(stop, ranges[-1][1]))
            else:
                ranges.append((first, stop))
        return tuple(ranges)


def proper_terms(dictionary: Path) -> set[str]:
    """The CJK-only proper terms (``nz``) of the portal's search dictionary (folded already)."""
    cjk_only = re.compile(r"^[\u4e00-\u9fff]{2,}$")
    found = set()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "nz" and cjk_only.match(parts[0]):
            found.add(parts[0])
    return found


def vocabularies() -> dict[str, BureauVocabulary]:
    return {prefix: BureauVocabulary(words) for prefix, words in VOCABULARIES.items()}
