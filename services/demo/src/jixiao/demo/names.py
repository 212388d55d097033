"""Realistic fictional Chinese personal names with plain ASCII pinyin.

Surnames follow the national frequency ranking (王李张刘陈杨赵黄周吴…, weights in
per mille, roughly the census shares); given names are common ones for people
born 1965–1990, so the leaders read like real officials without being anyone.
"""
from __future__ import annotations

import random

# (surname, pinyin, weight)
SURNAMES = [
    ("王", "Wang", 71), ("李", "Li", 70), ("张", "Zhang", 64), ("刘", "Liu", 54), ("陈", "Chen", 45),
    ("杨", "Yang", 31), ("赵", "Zhao", 23), ("黄", "Huang", 22), ("周", "Zhou", 21), ("吴", "Wu", 20),
    ("徐", "Xu", 17), ("孙", "Sun", 15), ("胡", "Hu", 13), ("朱", "Zhu", 13), ("高", "Gao", 12),
    ("林", "Lin", 12), ("何", "He", 12), ("郭", "Guo", 11), ("马", "Ma", 11), ("罗", "Luo", 9),
    ("梁", "Liang", 9), ("宋", "Song", 8), ("郑", "Zheng", 8), ("谢", "Xie", 7), ("韩", "Han", 7),
    ("唐", "Tang", 7), ("冯", "Feng", 7), ("于", "Yu", 6), ("董", "Dong", 6), ("肖", "Xiao", 6),
    ("程", "Cheng", 6), ("曹", "Cao", 6), ("袁", "Yuan", 5), ("邓", "Deng", 5), ("许", "Xu", 5),
    ("傅", "Fu", 5), ("沈", "Shen", 5), ("曾", "Zeng", 5), ("彭", "Peng", 5), ("吕", "Lyu", 5),
    ("苏", "Su", 4), ("卢", "Lu", 4), ("蒋", "Jiang", 4), ("蔡", "Cai", 4), ("贾", "Jia", 4),
    ("丁", "Ding", 4), ("魏", "Wei", 4), ("薛", "Xue", 4), ("叶", "Ye", 4), ("阎", "Yan", 3),
    ("余", "Yu", 3), ("潘", "Pan", 3), ("杜", "Du", 3), ("戴", "Dai", 3), ("夏", "Xia", 3),
    ("钟", "Zhong", 3), ("汪", "Wang", 3), ("田", "Tian", 3), ("任", "Ren", 3), ("姜", "Jiang", 3),
    ("范", "Fan", 3), ("方", "Fang", 3), ("石", "Shi", 3), ("姚", "Yao", 3), ("谭", "Tan", 3),
    ("廖", "Liao", 3), ("邹", "Zou", 3), ("熊", "Xiong", 3), ("金", "Jin", 3), ("陆", "Lu", 3),
    ("郝", "Hao", 2), ("孔", "Kong", 2), ("白", "Bai", 2), ("崔", "Cui", 2), ("康", "Kang", 2),
    ("毛", "Mao", 2), ("邱", "Qiu", 2), ("秦", "Qin", 2), ("江", "Jiang", 2), ("史", "Shi", 2),
    ("顾", "Gu", 2), ("侯", "Hou", 2), ("邵", "Shao", 2), ("孟", "Meng", 2), ("龙", "Long", 2),
    ("万", "Wan", 2), ("段", "Duan", 2), ("雷", "Lei", 2), ("钱", "Qian", 2), ("汤", "Tang", 2),
    ("尹", "Yin", 2), ("黎", "Li", 2), ("易", "Yi", 2), ("常", "Chang", 2), ("武", "Wu", 2),
    ("乔", "Qiao", 2), ("贺", "He", 2), ("赖", "Lai", 2), ("龚", "Gong", 2), ("文", "Wen", 2),
]

MALE_GIVEN = (
    "建国 建军 建华 建平 建明 建新 国强 国华 国庆 国平 国栋 志强 志刚 志明 志勇 志华 志伟 志国 志军 "
    "文斌 文华 文军 文涛 文杰 海波 海涛 海军 海峰 海林 卫东 卫国 卫平 晓东 晓明 晓峰 晓军 晓光 晓波 "
    "永强 永刚 永军 永华 永平 永胜 宏伟 宏亮 宏斌 宏宇 明辉 明亮 明华 明杰 俊杰 俊峰 俊华 立新 立军 "
    "立平 立群 德明 德华 德胜 成林 成刚 春生 春林 春雷 新民 新华 新宇 振华 振宇 振东 兴华 兴国 学军 "
    "学文 学明 庆华 庆林 荣华 荣生 光明 光辉 世杰 世明 家明 家林 家兴 继东 继平 鹏飞 鹏程 云飞 云峰 "
    "云龙 远航 远志 金龙 金海 松林 浩然 东升 东明 东海 伟东 伟民 伟华 伟强 正华 正平 正阳 安民 安国 "
    "清泉 忠华 忠明 利民 仁杰 书林 晨阳 胜利 凯 涛 波 斌 勇 刚 杰 磊 鹏 辉 强 伟 军 明 华 平 东 海 "
    "林 宇 浩 亮 毅 坤 雄 彬 锋 峰"
).split()

FEMALE_GIVEN = (
    "丽华 丽娟 丽萍 秀英 秀兰 秀梅 秀琴 桂英 桂兰 玉兰 玉梅 晓燕 晓红 晓梅 晓丽 晓霞 晓玲 春梅 "
    "春燕 红梅 红霞 红英 海燕 海霞 雪梅 慧敏 慧娟 静怡 艳华 艳红 艳玲 凤英 淑华 淑珍 淑英 美玲 "
    "丽 芳 敏 静 燕 艳 玲 霞 娟 英 红 梅 莉 萍 琳 洁 慧 雪 颖 婷 丹 宁"
).split()

# Pinyin of every character used in a given name above.
GIVEN_PINYIN = {
    "建": "jian", "国": "guo", "军": "jun", "华": "hua", "平": "ping", "明": "ming", "新": "xin",
    "强": "qiang", "庆": "qing", "栋": "dong", "志": "zhi", "刚": "gang", "勇": "yong", "伟": "wei",
    "文": "wen", "斌": "bin", "涛": "tao", "杰": "jie", "海": "hai", "波": "bo", "峰": "feng",
    "林": "lin", "卫": "wei", "东": "dong", "晓": "xiao", "光": "guang", "永": "yong", "胜": "sheng",
    "宏": "hong", "亮": "liang", "宇": "yu", "辉": "hui", "俊": "jun", "立": "li", "群": "qun",
    "德": "de", "成": "cheng", "春": "chun", "生": "sheng", "雷": "lei", "民": "min", "振": "zhen",
    "兴": "xing", "学": "xue", "荣": "rong", "世": "shi", "家": "jia", "继": "ji", "鹏": "peng",
    "飞": "fei", "程": "cheng", "云": "yun", "龙": "long", "远": "yuan", "航": "hang", "金": "jin",
    "松": "song", "浩": "hao", "然": "ran", "升": "sheng", "正": "zheng", "阳": "yang", "安": "an",
    "清": "qing", "泉": "quan", "忠": "zhong", "利": "li", "仁": "ren", "书": "shu", "晨": "chen",
    "凯": "kai", "磊": "lei", "毅": "yi", "坤": "kun", "雄": "xiong", "彬": "bin", "锋": "feng",
    "丽": "li", "娟": "juan", "萍": "ping", "秀": "xiu", "英": "ying", "兰": "lan", "梅": "mei",
    "琴": "qin", "桂": "gui", "玉": "yu", "燕": "yan", "红": "hong", "霞": "xia", "玲": "ling",
    "雪": "xue", "慧": "hui", "敏": "min", "静": "jing", "怡": "yi", "艳": "yan", "凤": "feng",
    "淑": "shu", "珍": "zhen", "美": "mei", "芳": "fang", "莉": "li", "琳": "lin", "洁": "jie",
    "颖": "ying", "婷": "ting", "丹": "dan", "宁": "ning",
}

FEMALE_SHARE = 0.18


def pinyin_of_given(given: str) -> str:
    """'建国' -> 'Jianguo', '永安' -> "Yong'an" (apostrophe before a, o, e)."""
    syllables = [GIVEN_PINYIN[ch] for ch in given]
    text = syllables[0]
    for syllable in syllables[1:]:
        text += ("'" if syllable[0] in "aoe" else "") + syllable
    return text.capitalize()


class NameMaker:
    """Draws names from a seeded generator, never the same full name twice."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._used: set[str] = set()
        self._surnames = [s for s, _, _ in SURNAMES]
        self._weights = [w for _, _, w in SURNAMES]
        self._surname_pinyin = {s: p for s, p, _ in SURNAMES}

    def make(self) -> tuple[str, str]:
        """Return (name_zh, name_pinyin), e.g. ('张建国', 'Zhang Jianguo')."""
        while True:
            surname = self._rng.choices(self._surnames, self._weights)[0]
            pool = FEMALE_GIVEN if self._rng.random() < FEMALE_SHARE else MALE_GIVEN
            given = self._rng.choice(pool)
            name = surname + given
            if name not in self._used:
                self._used.add(name)
                return name, f"{self._surname_pinyin[surname]} {pinyin_of_given(given)}"
