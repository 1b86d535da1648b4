import { describeModel } from '../../support/model/driver.js';
import { jointListModel } from '../../support/model/joint-list.model.js';

describeModel(jointListModel);
